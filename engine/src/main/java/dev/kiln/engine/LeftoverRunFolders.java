package dev.kiln.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run folders are named after the worker process that made them ({@code
 * kiln-run-<pid>-<start time>-<random>}), so that the folders of a worker that was killed before it
 * could delete them (SIGKILL, the kernel's OOM killer: no shutdown hook runs) are found and deleted
 * by the next one. A folder belongs to a dead worker when no process has its pid, or the process
 * with that pid started at another time (the pid was reused). Folders of live workers sharing the
 * same temp folder, and folders named otherwise, are left alone.
 */
final class LeftoverRunFolders {
  private static final Logger LOG = Logger.getLogger(LeftoverRunFolders.class.getName());
  private static final Pattern NAME = Pattern.compile("kiln-run-(\\d+)-(\\d+)-.*");

  private LeftoverRunFolders() {}

  /** The name prefix of this process' run folders. */
  static String prefix() {
    ProcessHandle self = ProcessHandle.current();
    return "kiln-run-" + self.pid() + "-" + startMillis(self).orElse(0L) + "-";
  }

  /** Deletes the run folders in {@code dir} left by worker processes that have ended; returns how many. */
  static int sweep(Path dir) {
    int deleted = 0;
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(dir, "kiln-run-*")) {
      for (Path folder : folders) {
        Matcher name = NAME.matcher(folder.getFileName().toString());
        if (name.matches() && Files.isDirectory(folder) && ended(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
          RunProcessSandbox.deleteRunFolder(folder);
          deleted++;
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.log(Level.WARNING, "could not look for run folders left by ended workers in " + dir, e);
    }
    if (deleted > 0) {
      LOG.info("deleted " + deleted + " run folder(s) left in " + dir + " by workers that were killed");
    }
    return deleted;
  }

  private static boolean ended(long pid, long startMillis) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty() || startMillis(process.get()).map(start -> start != startMillis).orElse(false);
  }

  private static Optional<Long> startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli);
  }
}
