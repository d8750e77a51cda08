package dev.kiln.worker;

/** Kiln's version, as Maven wrote it into the jar manifest ({@code dev} when run from classes). */
final class KilnVersions {
  private KilnVersions() {}

  static String kiln() {
    String v = WorkerService.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
