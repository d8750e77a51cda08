package dev.kiln.engine.install;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to change a repo, across threads and processes: a JVM-wide lock per repo
 * folder (file locks are held per process, not per thread) and then an OS file lock on {@code
 * <repo>/.kiln-install.lock}. Readers never take it: the repo's {@code package.json} and every
 * package folder are replaced atomically.
 */
final class RepoLock implements AutoCloseable {
  static final String FILE_NAME = ".kiln-install.lock";
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private RepoLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** Blocks until the repo is free. {@code repo} must exist. */
  static RepoLock acquire(Path repo) throws IOException, InterruptedException {
    Path key = repo.toRealPath(); // one key per folder, however it is named
    ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    threadLock.lockInterruptibly();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new RepoLock(threadLock, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) channel.close();
      threadLock.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      fileLock.release();
      channel.close();
    } finally {
      threadLock.unlock();
    }
  }
}
