package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.*;
import dev.kiln.compiler.scope.ScopeAnalysis;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The lazy-state transform (spec §2.1): {@code $.a.b} becomes {@code state.a.b}, and the smallest
 * enclosing operation argument becomes {@code state => ...} unless it already is such an arrow.
 *
 * <p>Fixed reference bugs: a call whose callee is rooted at {@code $}/{@code state} (like {@code
 * $.x.y($.z)} or {@code state.m($.a)}) is wrapped whole instead of its callee (no {@code
 * (state => state.x.y)(...)}, no cyclic tree); a spread {@code fn(...$.items)} and a top-level
 * {@code $.foo();} are reported as errors instead of crashing or dropping the operation.
 */
final class LazyState {
  static final String OUTSIDE_OPERATION_DETAILS =
      "The Lazy State operation must be used inside a top-level operation, like fn(). It cannot be"
          + " used inside a regular JavaScript statement because no valid state reference is available.";

  private final SpanEdits edits;
  private final ScopeAnalysis scopes;
  private final Set<Identifier> converted = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> wrapped = Collections.newSetFromMap(new IdentityHashMap<>());

  private LazyState(SpanEdits edits, ScopeAnalysis scopes) {
    this.edits = edits;
    this.scopes = scopes;
  }

  /** Applies the transform; returns the {@code $} identifiers renamed to {@code state}. */
  static Set<Identifier> apply(Program program, SpanEdits edits, ScopeAnalysis scopes) {
    LazyState transform = new LazyState(edits, scopes);
    AncestorWalk.walk(program, transform::visit);
    return transform.converted;
  }

  private boolean visit(Node node, List<Node> ancestors) {
    if (TopLevelObjects.isIgnored(node, ancestors)) {
      return false;
    }
    if (node instanceof MemberExpression member
        && root(member) instanceof Identifier root
        && root.name().equals("$")
        && !converted.contains(root)
        && !scopes.isLocallyDeclared(root)) {
      converted.add(root);
      edits.replace(root.start(), root.end(), new SpanEdits.Text("state"));
      wrapUnit(member, ancestors);
    }
    return true;
  }

  private static Node root(Node node) {
    Node n = node;
    while (n instanceof MemberExpression m) {
      n = m.object();
    }
    return n;
  }

  private static boolean isStateRooted(Node callee) {
    return callee instanceof MemberExpression
        && root(callee) instanceof Identifier id
        && (id.name().equals("state") || id.name().equals("$"));
  }

  private void wrapUnit(MemberExpression member, List<Node> ancestors) {
    Node child = member;
    for (int i = ancestors.size() - 1; i >= 0; i--) {
      Node ancestor = ancestors.get(i);
      if (ancestor instanceof CallExpression call) {
        if (call.callee() == child || isStateRooted(call.callee())) {
          child = call; // the whole call on state is the unit's content
          continue;
        }
        wrap(child);
        return;
      }
      if (isStatementLike(ancestor)) {
        break;
      }
      child = ancestor;
    }
    throw new TransformError(
        "Lazy State Error: Must be inside an operation", member.start(), OUTSIDE_OPERATION_DETAILS);
  }

  private void wrap(Node unit) {
    if (unit instanceof SpreadElement spread) {
      throw new TransformError(
          "Lazy State Error: Cannot spread lazy state into an operation's arguments",
          spread.start(),
          "Lazy state ($) is only known when the operation runs; pass it as an argument instead of spreading it.");
    }
    if (unit instanceof ArrowFunctionExpression arrow) {
      if (arrow.params().size() != 1) {
        throw new TransformError("Lazy State Error: parent has wrong arity", arrow.start(), null);
      }
      Node param = arrow.params().get(0);
      if (param instanceof Identifier id && id.name().equals("state")) {
        return;
      }
      String name =
          param instanceof Identifier id
              ? id.name()
              : edits.source().substring(param.start(), param.end());
      throw new TransformError(
          "Lazy State Error: parameter \"" + name + "\" should be called \"state\"", arrow.start(), null);
    }
    if (!wrapped.add(unit)) {
      return;
    }
    boolean parenthesize =
        unit instanceof ObjectExpression
            || unit instanceof SequenceExpression
            || (unit instanceof PureLiteral literal && literal.kind() == PureLiteral.Kind.OBJECT);
    edits.before(unit.start(), unit.end(), parenthesize ? "state => (" : "state => ");
    if (parenthesize) {
      edits.after(unit.start(), unit.end(), ")");
    }
  }

  /** Statements, declarations and the class/switch/catch parts that hold them: no state reaches past these. */
  private static boolean isStatementLike(Node node) {
    return switch (node) {
      case Program p -> true;
      case ExpressionStatement s -> true;
      case BlockStatement s -> true;
      case StaticBlock s -> true;
      case EmptyStatement s -> true;
      case DebuggerStatement s -> true;
      case WithStatement s -> true;
      case ReturnStatement s -> true;
      case LabeledStatement s -> true;
      case BreakStatement s -> true;
      case ContinueStatement s -> true;
      case IfStatement s -> true;
      case SwitchStatement s -> true;
      case SwitchCase s -> true;
      case ThrowStatement s -> true;
      case TryStatement s -> true;
      case CatchClause s -> true;
      case WhileStatement s -> true;
      case DoWhileStatement s -> true;
      case ForStatement s -> true;
      case ForInStatement s -> true;
      case ForOfStatement s -> true;
      case FunctionDeclaration s -> true;
      case VariableDeclaration s -> true;
      case ClassDeclaration s -> true;
      case ClassBody s -> true;
      case MethodDefinition s -> true;
      case PropertyDefinition s -> true;
      case ImportDeclaration s -> true;
      case ExportNamedDeclaration s -> true;
      case ExportDefaultDeclaration s -> true;
      case ExportAllDeclaration s -> true;
      default -> false;
    };
  }
}
