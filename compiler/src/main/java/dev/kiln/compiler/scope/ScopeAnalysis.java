package dev.kiln.compiler.scope;

import dev.kiln.compiler.ast.*;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Which identifiers of a module are references, and what each resolves to. Module code is strict:
 * {@code let}/{@code const}/{@code class} and function declarations in blocks are block scoped,
 * {@code var} goes to the enclosing function, parameters and {@code arguments} belong to the
 * function, catch parameters to the catch clause, imports to the module. Property keys, member
 * property names, labels, meta properties and export aliases are not references; shorthand
 * properties and computed keys are.
 */
public final class ScopeAnalysis {
  private final Scope programScope = new Scope(Scope.Kind.PROGRAM, null);
  private final List<Identifier> references = new ArrayList<>();
  private final List<Scope> referenceScopes = new ArrayList<>();
  /** The scope of each reference named {@code $} (the only name whose binding the transforms ask about). */
  private final Map<Identifier, Scope> scopeOfDollar = new IdentityHashMap<>();

  private ScopeAnalysis() {}

  /** Analyses {@code program}. */
  public static ScopeAnalysis of(Program program) {
    ScopeAnalysis analysis = new ScopeAnalysis();
    for (Node statement : program.body()) {
      analysis.visit(statement, analysis.programScope);
    }
    return analysis;
  }

  /** Names referenced but declared nowhere in the module, in order of first reference. */
  public SequencedSet<String> freeNames() {
    return freeNames(id -> false);
  }

  /** Like {@link #freeNames()}, leaving out the references {@code skip} accepts (for example renamed ones). */
  public SequencedSet<String> freeNames(java.util.function.Predicate<Identifier> skip) {
    SequencedSet<String> free = new LinkedHashSet<>();
    for (int i = 0; i < references.size(); i++) {
      String name = references.get(i).name();
      if (!skip.test(references.get(i)) && referenceScopes.get(i).resolve(name) == null) {
        free.add(name);
      }
    }
    return free;
  }

  /**
   * Whether {@code reference}, a {@code $} in reference position, resolves to a declaration
   * inside a function, block or class, not at module level.
   */
  public boolean isLocallyDeclared(Identifier reference) {
    Scope scope = scopeOfDollar.get(reference);
    if (scope == null) {
      return false;
    }
    Scope declaring = scope.resolve(reference.name());
    return declaring != null && declaring != programScope;
  }

  private void reference(Identifier id, Scope scope) {
    references.add(id);
    referenceScopes.add(scope);
    if (id.name().equals("$")) {
      scopeOfDollar.put(id, scope);
    }
  }

  private void visitAll(List<? extends Node> nodes, Scope scope) {
    for (Node n : nodes) {
      if (n != null) {
        visit(n, scope);
      }
    }
  }

  private void visit(Node node, Scope scope) {
    switch (node) {
      case Identifier id -> reference(id, scope);
      case PureLiteral ignored -> {}
      case MemberExpression m -> {
        visit(m.object(), scope);
        if (m.computed()) {
          visit(m.property(), scope);
        }
      }
      case Property p -> {
        if (p.computed()) {
          visit(p.key(), scope);
        }
        visit(p.value(), scope);
      }
      case MethodDefinition m -> {
        if (m.computed()) {
          visit(m.key(), scope);
        }
        visit(m.value(), scope);
      }
      case PropertyDefinition p -> {
        if (p.computed()) {
          visit(p.key(), scope);
        }
        if (p.value() != null) {
          Scope initializer = new Scope(Scope.Kind.FUNCTION, scope);
          initializer.declare("arguments");
          visit(p.value(), initializer);
        }
      }
      case StaticBlock b -> visitAll(b.body(), new Scope(Scope.Kind.FUNCTION, scope));
      case LabeledStatement l -> visit(l.body(), scope);
      case BreakStatement ignored -> {}
      case ContinueStatement ignored -> {}
      case MetaProperty ignored -> {}
      case FunctionDeclaration f -> {
        if (f.id() != null) {
          scope.declare(f.id().name());
        }
        visitFunction(f.params(), f.body(), scope, true);
      }
      case FunctionExpression f -> {
        Scope named = scope;
        if (f.id() != null) {
          named = new Scope(Scope.Kind.BLOCK, scope);
          named.declare(f.id().name());
        }
        visitFunction(f.params(), f.body(), named, true);
      }
      case ArrowFunctionExpression f -> visitFunction(f.params(), f.body(), scope, false);
      case ClassDeclaration c -> {
        if (c.id() != null) {
          scope.declare(c.id().name());
        }
        visitClass(c.id(), c.superClass(), c.body(), scope);
      }
      case ClassExpression c -> visitClass(c.id(), c.superClass(), c.body(), scope);
      case VariableDeclaration d -> {
        Scope target = d.kind().equals("var") ? scope.functionScope() : scope;
        for (VariableDeclarator declarator : d.declarations()) {
          declare(declarator.id(), target, scope);
          if (declarator.init() != null) {
            visit(declarator.init(), scope);
          }
        }
      }
      case BlockStatement b -> visitAll(b.body(), new Scope(Scope.Kind.BLOCK, scope));
      case ForStatement f -> {
        Scope head = new Scope(Scope.Kind.BLOCK, scope);
        for (Node part : new Node[] {f.init(), f.test(), f.update(), f.body()}) {
          if (part != null) {
            visit(part, head);
          }
        }
      }
      case ForInStatement f -> visitForEach(f.left(), f.right(), f.body(), scope);
      case ForOfStatement f -> visitForEach(f.left(), f.right(), f.body(), scope);
      case SwitchStatement s -> {
        visit(s.discriminant(), scope);
        Scope cases = new Scope(Scope.Kind.BLOCK, scope);
        visitAll(s.cases(), cases);
      }
      case CatchClause c -> {
        Scope clause = new Scope(Scope.Kind.BLOCK, scope);
        if (c.param() != null) {
          declare(c.param(), clause, clause);
        }
        visitAll(c.body().body(), clause);
      }
      case AssignmentExpression a -> {
        assignTarget(a.left(), scope);
        visit(a.right(), scope);
      }
      case ImportDeclaration i -> {
        for (Node specifier : i.specifiers()) {
          switch (specifier) {
            case ImportSpecifier s -> programScope.declare(s.local().name());
            case ImportDefaultSpecifier s -> programScope.declare(s.local().name());
            case ImportNamespaceSpecifier s -> programScope.declare(s.local().name());
            default -> {}
          }
        }
      }
      case ExportNamedDeclaration e -> {
        if (e.declaration() != null) {
          visit(e.declaration(), scope);
        } else if (e.source() == null) {
          for (ExportSpecifier s : e.specifiers()) {
            if (s.local() instanceof Identifier local) {
              reference(local, scope);
            }
          }
        }
      }
      case ExportAllDeclaration ignored -> {}
      case ExportDefaultDeclaration e -> visit(e.declaration(), scope);
      default -> node.forEachChild(child -> visit(child, scope));
    }
  }

  private void visitFunction(List<Node> params, Node body, Scope outer, boolean hasArguments) {
    Scope function = new Scope(Scope.Kind.FUNCTION, outer);
    if (hasArguments) {
      function.declare("arguments");
    }
    for (Node param : params) {
      declare(param, function, function);
    }
    if (body instanceof BlockStatement block) {
      visitAll(block.body(), function);
    } else {
      visit(body, function);
    }
  }

  private void visitClass(Identifier id, Node superClass, ClassBody body, Scope outer) {
    if (superClass != null) {
      visit(superClass, outer);
    }
    Scope inner = new Scope(Scope.Kind.BLOCK, outer);
    if (id != null) {
      inner.declare(id.name());
    }
    visitAll(body.body(), inner);
  }

  private void visitForEach(Node left, Node right, Node body, Scope scope) {
    Scope head = new Scope(Scope.Kind.BLOCK, scope);
    if (left instanceof VariableDeclaration d) {
      Scope target = d.kind().equals("var") ? scope.functionScope() : head;
      for (VariableDeclarator declarator : d.declarations()) {
        declare(declarator.id(), target, head);
      }
    } else {
      assignTarget(left, head);
    }
    visit(right, head);
    visit(body, head);
  }

  /** Declares the names bound by {@code pattern} in {@code target}; defaults and computed keys are visited in {@code scope}. */
  private void declare(Node pattern, Scope target, Scope scope) {
    switch (pattern) {
      case Identifier id -> target.declare(id.name());
      case ObjectPattern o -> {
        for (Node property : o.properties()) {
          if (property instanceof Property p) {
            if (p.computed()) {
              visit(p.key(), scope);
            }
            declare(p.value(), target, scope);
          } else {
            declare(property, target, scope);
          }
        }
      }
      case ArrayPattern a -> {
        for (Node element : a.elements()) {
          if (element != null) {
            declare(element, target, scope);
          }
        }
      }
      case RestElement r -> declare(r.argument(), target, scope);
      case AssignmentPattern a -> {
        declare(a.left(), target, scope);
        visit(a.right(), scope);
      }
      default -> visit(pattern, scope);
    }
  }

  /** The target of an assignment: its identifiers are references (writes), not declarations. */
  private void assignTarget(Node target, Scope scope) {
    switch (target) {
      case ObjectPattern o -> {
        for (Node property : o.properties()) {
          if (property instanceof Property p) {
            if (p.computed()) {
              visit(p.key(), scope);
            }
            assignTarget(p.value(), scope);
          } else {
            assignTarget(property, scope);
          }
        }
      }
      case ArrayPattern a -> {
        for (Node element : a.elements()) {
          if (element != null) {
            assignTarget(element, scope);
          }
        }
      }
      case RestElement r -> assignTarget(r.argument(), scope);
      case AssignmentPattern a -> {
        assignTarget(a.left(), scope);
        visit(a.right(), scope);
      }
      default -> visit(target, scope);
    }
  }
}
