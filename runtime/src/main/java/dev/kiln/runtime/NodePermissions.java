package dev.kiln.runtime;

import com.caoccao.javet.interop.options.NodeFlags;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The locked-down profile of a run process' embedded Node (its permission model,
 * {@code --experimental-permission}): file reads only of {@code readDirs} (the adaptor repo) and
 * the run's own folder, writes only to the run's folder; child processes, worker threads, native
 * addons, WASI and the inspector stay denied because none of Node's {@code --allow-*} flags for
 * them is given. The host scripts are read from the class path by Java, never through {@code fs}.
 *
 * @param workDir the run's private folder (the process' working directory and {@code TMPDIR})
 * @param readDirs further folders Node may read (the adaptor repo)
 */
record NodePermissions(Path workDir, List<Path> readDirs) {
  NodePermissions {
    workDir = workDir.toAbsolutePath().normalize();
    readDirs = readDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  void applyTo(NodeFlags flags) {
    flags.setExperimentalPermission(true)
        .setAllowFsRead(readPaths().toArray(String[]::new))
        .setAllowFsWrite(new String[] {workDir.toString()});
  }

  /**
   * The paths Node may read, each once: Node 22.12 aborts the process
   * ({@code Assertion failed: !path_prefix.empty()}) when a path is given twice.
   */
  List<String> readPaths() {
    Set<String> read = new LinkedHashSet<>();
    read.add(workDir.toString());
    readDirs.forEach(d -> read.add(d.toString()));
    // Node's module loader looks for package.json files (module type, exports) in every folder
    // above a module; a denied read there makes it misread CommonJS packages. These files are
    // almost never there and, if they are, tell nothing secret.
    for (Path dir : readDirs) {
      for (Path up = dir.getParent(); up != null; up = up.getParent()) {
        read.add(up.resolve("package.json").toString());
      }
    }
    return List.copyOf(read);
  }
}
