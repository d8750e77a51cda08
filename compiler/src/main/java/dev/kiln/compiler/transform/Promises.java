package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.*;
import dev.kiln.compiler.transform.SpanEdits.Range;
import dev.kiln.compiler.transform.SpanEdits.Text;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The promises transform (spec §2.2): a top-scope chain {@code op(...).then(f).catch(g)} becomes
 * {@code _defer(op(...), p => p.then(f).catch(g))}; a {@code .catch(h)} right after the operation
 * becomes the third argument. The caller imports {@code defer as _defer} from {@code
 * @openfn/runtime} when any chain was rebuilt.
 *
 * <p>Fixed reference bugs: a chain whose root is not a call ({@code p.then(...)}) is left alone
 * instead of looping forever; {@code fn()().then(...)} defers {@code fn()()}; {@code .catch()}
 * without a handler stays in the chain.
 */
final class Promises {
  private final SpanEdits edits;
  private final Set<CallExpression> rebuilt = Collections.newSetFromMap(new IdentityHashMap<>());

  private Promises(SpanEdits edits) {
    this.edits = edits;
  }

  /** Applies the transform; returns the outermost chain calls that were replaced by {@code _defer(...)}. */
  static Set<CallExpression> apply(Program program, SpanEdits edits) {
    Promises transform = new Promises(edits);
    AncestorWalk.walk(program, transform::visit);
    return transform.rebuilt;
  }

  private boolean visit(Node node, List<Node> ancestors) {
    if (TopLevelObjects.isIgnored(node, ancestors)) {
      return false;
    }
    if (node instanceof CallExpression call && isChainLink(call) && isTopScope(ancestors)) {
      return !rebuild(call); // a rebuilt chain's arguments are not transformed again
    }
    return true;
  }

  private static boolean isChainLink(CallExpression call) {
    return call.callee() instanceof MemberExpression m
        && !m.computed()
        && m.property() instanceof Identifier p
        && (p.name().equals("then") || p.name().equals("catch"));
  }

  private static boolean isTopScope(List<Node> ancestors) {
    for (Node a : ancestors) {
      if (a instanceof ArrowFunctionExpression
          || a instanceof FunctionDeclaration
          || a instanceof FunctionExpression
          || a instanceof BlockStatement
          || a instanceof ClassBody
          || a instanceof StaticBlock) {
        return false;
      }
    }
    return true;
  }

  private boolean rebuild(CallExpression chain) {
    // Walk down the chain to the operation, remembering each link's call.
    List<CallExpression> links = new ArrayList<>();
    CallExpression next = chain;
    CallExpression op = null;
    while (op == null) {
      if (isChainLink(next)) {
        links.add(next);
        Node object = ((MemberExpression) next.callee()).object();
        if (!(object instanceof CallExpression inner)) {
          return false; // p.then(...): no operation to defer
        }
        next = inner;
      } else {
        op = next;
      }
    }
    CallExpression firstLink = links.getLast(); // op.then(...) or op.catch(...)
    List<SpanEdits.Piece> pieces = new ArrayList<>();
    pieces.add(new Text("_defer("));
    pieces.add(new Range(op.start(), op.end()));
    boolean catchFirst =
        ((Identifier) ((MemberExpression) firstLink.callee()).property()).name().equals("catch")
            && firstLink.arguments().size() == 1
            && !(firstLink.arguments().get(0) instanceof SpreadElement);
    if (catchFirst) {
      Node handler = firstLink.arguments().get(0);
      if (firstLink == chain) {
        pieces.add(new Text(", undefined, "));
      } else {
        pieces.add(new Text(", p => "));
        pieces.add(new Range(chain.start(), firstLink.start()));
        pieces.add(new Text("p"));
        pieces.add(new Range(firstLink.end(), chain.end()));
        pieces.add(new Text(", "));
      }
      pieces.add(new Range(handler.start(), handler.end()));
    } else {
      pieces.add(new Text(", p => "));
      pieces.add(new Range(chain.start(), op.start()));
      pieces.add(new Text("p"));
      pieces.add(new Range(op.end(), chain.end()));
    }
    pieces.add(new Text(")"));
    edits.replace(chain.start(), chain.end(), pieces.toArray(SpanEdits.Piece[]::new));
    rebuilt.add(chain);
    return true;
  }
}
