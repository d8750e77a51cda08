package dev.kiln.compiler.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compiler.ast.ArrowFunctionExpression;
import dev.kiln.compiler.ast.FunctionDeclaration;
import dev.kiln.compiler.ast.FunctionExpression;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.TemplateElement;
import dev.kiln.compiler.ast.UnaryExpression;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * Kiln's tree as acorn's JSON (what {@code JSON.stringify(acorn.parse(...))} gives, with BigInt
 * values as "BIGINT" and regex values as null), for comparing the two parsers.
 */
final class EstreeJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> NOT_ESTREE = Set.of("lines", "comments");

  private EstreeJson() {}

  static JsonNode of(Node node) {
    ObjectNode out = JSON.objectNode();
    out.put("type", node.type());
    for (RecordComponent component : node.getClass().getRecordComponents()) {
      String name = component.getName();
      if (NOT_ESTREE.contains(name) || (node instanceof TemplateElement && !name.equals("tail")
          && !name.equals("start") && !name.equals("end"))) {
        continue;
      }
      Object value = read(component, node);
      boolean absentInAcorn = value == null && ((node instanceof Literal && (name.equals("regex") || name.equals("bigint")))
          || name.equals("directive"));
      if (!absentInAcorn) {
        out.set(name.equals("isStatic") ? "static" : name, value(value));
      }
    }
    switch (node) {
      case TemplateElement element -> {
        ObjectNode value = out.putObject("value");
        value.put("raw", element.raw());
        value.set("cooked", element.cooked() == null ? JSON.nullNode() : JSON.textNode(element.cooked()));
      }
      case UnaryExpression unary -> out.put("prefix", unary.prefix());
      case ArrowFunctionExpression arrow -> {
        out.set("id", JSON.nullNode());
        out.put("generator", arrow.generator());
      }
      case FunctionExpression function -> out.put("expression", function.expression());
      case FunctionDeclaration function -> out.put("expression", function.expression());
      default -> {}
    }
    return out;
  }

  private static Object read(RecordComponent component, Node node) {
    try {
      return component.getAccessor().invoke(node);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode value(Object value) {
    return switch (value) {
      case null -> JSON.nullNode();
      case Node node -> of(node);
      case List<?> list -> {
        ArrayNode array = JSON.arrayNode();
        list.forEach(element -> array.add(value(element)));
        yield array;
      }
      case String text -> JSON.textNode(text);
      case Boolean bool -> JSON.booleanNode(bool);
      case Integer number -> JSON.numberNode(number);
      case Double number -> number.isInfinite() || number.isNaN() ? JSON.nullNode() : JSON.numberNode(number);
      case BigInteger big -> JSON.textNode("BIGINT");
      case Literal.Regex regex -> {
        ObjectNode out = JSON.objectNode();
        out.put("pattern", regex.pattern());
        out.put("flags", regex.flags());
        yield out;
      }
      default -> throw new IllegalStateException("unexpected field value " + value.getClass());
    };
  }

  /** The first difference between two ESTree JSON trees, or null when they are equal. */
  static String difference(JsonNode mine, JsonNode acorn, String path) {
    if (mine.isNumber() && acorn.isNumber()) {
      return mine.asDouble() == acorn.asDouble() ? null : path + ": " + mine + " vs acorn " + acorn;
    }
    if (mine.isObject() && acorn.isObject()) {
      String at = path + (mine.has("type") ? "<" + mine.get("type").asText() + ">" : "");
      var names = new java.util.TreeSet<String>();
      mine.fieldNames().forEachRemaining(names::add);
      acorn.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!mine.has(name) || !acorn.has(name)) {
          return at + "." + name + ": only in " + (mine.has(name) ? "Kiln" : "acorn");
        }
        String difference = difference(mine.get(name), acorn.get(name), at + "." + name);
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (mine.isArray() && acorn.isArray()) {
      if (mine.size() != acorn.size()) {
        return path + ": " + mine.size() + " elements vs acorn " + acorn.size();
      }
      for (int i = 0; i < mine.size(); i++) {
        String difference = difference(mine.get(i), acorn.get(i), path + "[" + i + "]");
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    return mine.equals(acorn) ? null : path + ": " + mine + " vs acorn " + acorn;
  }
}
