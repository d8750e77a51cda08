package dev.kiln.engine.install;

import java.nio.file.Path;

/**
 * A package ready to load: its name, exact version ({@code local} for a monorepo build) and the
 * folder holding its {@code package.json} (for the repo, {@code <repo>/node_modules/<name>_<version>}).
 */
public record InstalledPackage(String name, String version, Path root) {}
