package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/**
 * An ESTree node (the shape acorn produces for ES2023). Every node knows its span as UTF-16
 * offsets into the source string ({@code start} inclusive, {@code end} exclusive); line and
 * column come from {@link Program#line(int)} / {@link Program#column(int)}.
 */
public sealed interface Node
    permits Program, Identifier, PrivateIdentifier, Literal, PureLiteral, ExpressionStatement, BlockStatement, StaticBlock, EmptyStatement, DebuggerStatement, WithStatement, ReturnStatement, LabeledStatement, BreakStatement, ContinueStatement, IfStatement, SwitchStatement, SwitchCase, ThrowStatement, TryStatement, CatchClause, WhileStatement, DoWhileStatement, ForStatement, ForInStatement, ForOfStatement, FunctionDeclaration, VariableDeclaration, VariableDeclarator, ClassDeclaration, ClassExpression, ClassBody, MethodDefinition, PropertyDefinition, ThisExpression, Super, ArrayExpression, ObjectExpression, Property, FunctionExpression, ArrowFunctionExpression, UnaryExpression, UpdateExpression, BinaryExpression, LogicalExpression, AssignmentExpression, ConditionalExpression, MemberExpression, CallExpression, NewExpression, ChainExpression, SequenceExpression, YieldExpression, AwaitExpression, SpreadElement, TemplateLiteral, TemplateElement, TaggedTemplateExpression, MetaProperty, ImportExpression, ObjectPattern, ArrayPattern, RestElement, AssignmentPattern, ImportDeclaration, ImportSpecifier, ImportDefaultSpecifier, ImportNamespaceSpecifier, ExportNamedDeclaration, ExportSpecifier, ExportDefaultDeclaration, ExportAllDeclaration {

  /** Offset of the first character of this node. */
  int start();

  /** Offset just past the last character of this node. */
  int end();

  /** The ESTree node type name, for example {@code "CallExpression"}. */
  default String type() {
    return getClass().getSimpleName();
  }

  /**
   * Calls {@code visitor} on each direct child in ESTree field order (callee before
   * arguments, object before property, left before right), skipping absent ones (nulls,
   * array holes).
   */
  void forEachChild(Consumer<? super Node> visitor);
}
