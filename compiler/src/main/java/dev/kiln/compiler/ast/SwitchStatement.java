package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code SwitchStatement}: {@code switch (discriminant) { cases }} */
public record SwitchStatement(int start, int end, Node discriminant, List<SwitchCase> cases) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, discriminant, cases);
  }
}
