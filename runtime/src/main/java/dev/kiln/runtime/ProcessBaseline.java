package dev.kiln.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/**
 * The process-wide state an adaptor can change through Node's {@code process} (its environment
 * variables and working directory) as it was when the run process started: every Node runtime
 * of the process is reset to it before it serves a run, so nothing an adaptor set there reaches
 * the next run (as each of the reference's worker threads gets its own copy of the environment).
 *
 * @param environmentJson the environment as a JSON object of strings
 * @param workingDirectory the absolute working directory
 */
record ProcessBaseline(String environmentJson, String workingDirectory) {
  static ProcessBaseline capture() {
    ObjectNode environment = new ObjectMapper().createObjectNode();
    // System.getenv() is the environment the JVM started with: later changes made through Node
    // (setenv) do not show in it
    new TreeMap<>(System.getenv()).forEach(environment::put);
    return new ProcessBaseline(environment.toString(), System.getProperty("user.dir"));
  }
}
