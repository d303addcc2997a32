package dev.rig.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into a short message on stderr and exit code 1. Errors that rig expects (bad
 * specs, missing files, bad output targets) carry their own explanation, so no stack trace is
 * printed unless RIG_DEBUG is set.
 */
final class Failures implements IExecutionExceptionHandler {
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
    commandLine.getErr().println("rig: " + message(e));
    if (System.getenv("RIG_DEBUG") != null) {
      e.printStackTrace(commandLine.getErr());
    }
    return FAILED;
  }

  private static String message(Throwable e) {
    String text = e.getMessage();
    if (text == null || text.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return text;
  }
}
