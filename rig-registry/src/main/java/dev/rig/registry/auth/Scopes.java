package dev.rig.registry.auth;

import java.util.ArrayList;
import java.util.List;

/** The token scopes a repository client needs: push and pull on its own, pull on mount sources. */
public record Scopes(String repository, boolean push, List<String> pullFrom) {
  public Scopes {
    pullFrom = List.copyOf(pullFrom);
  }

  public static Scopes pull(String repository) {
    return new Scopes(repository, false, List.of());
  }

  public static Scopes push(String repository, List<String> mountFrom) {
    return new Scopes(repository, true, mountFrom);
  }

  /** {@code repository:REPO:pull,push}, then {@code repository:FROM:pull} for each source. */
  public List<String> asList() {
    List<String> scopes = new ArrayList<>();
    scopes.add("repository:" + repository + (push ? ":pull,push" : ":pull"));
    for (String from : pullFrom) {
      if (!from.equals(repository)) {
        scopes.add("repository:" + from + ":pull");
      }
    }
    return scopes;
  }
}
