package dev.kiln.engine;

/** A started run process and the drain of its stderr (started with it, so nothing is lost). */
record LaunchedProcess(Process process, StderrTail stderr, int memoryLimitMb) {}
