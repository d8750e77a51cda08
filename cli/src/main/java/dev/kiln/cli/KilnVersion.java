package dev.kiln.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the jar manifest ("dev" when run from classes). */
final class KilnVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = KilnVersion.class.getPackage().getImplementationVersion();
    return new String[] {"kiln " + (v == null ? "dev" : v)};
  }
}
