package dev.kiln.engine.install;

/** A package name and the exact version a specifier ({@code @latest}, a range, …) means now. */
public record ResolvedPackage(String name, String version) {
  @Override
  public String toString() {
    return name + "@" + version;
  }
}
