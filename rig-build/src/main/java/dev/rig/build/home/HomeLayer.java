package dev.rig.build.home;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.HostTree;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.HomeSource;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Root's home: rig's default dotfiles (in images that install packages, which have bash and tmux)
 * and, on top, the user's {@code home} directory. Everything belongs to root, as in nix2gpu, which
 * forces the root user: a path {@code home/USER/REST} of the directory lands at {@code /root/REST}.
 */
public final class HomeLayer {
  public static final String CREATED_BY = "rig home (/root)";

  static final String BASHRC =
      """
      # ~/.bashrc written by rig (set `home` in rig.pkl to bring your own).
      [ -z "$PS1" ] && return
      HISTCONTROL=ignoreboth
      HISTSIZE=10000
      HISTFILESIZE=20000
      shopt -s histappend checkwinsize
      [ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
      [ -f /usr/share/doc/fzf/examples/key-bindings.bash ] && . /usr/share/doc/fzf/examples/key-bindings.bash
      __rig_gpu() { [ -n "$NVIDIA_VISIBLE_DEVICES" ] && command -v nvidia-smi >/dev/null 2>&1 \\
        && printf ' gpu:%s' "$(nvidia-smi -L 2>/dev/null | wc -l)"; }
      PS1='\\[\\e[1;32m\\]\\u@\\h\\[\\e[0m\\]:\\[\\e[1;34m\\]\\w\\[\\e[0;33m\\]$(__rig_gpu)\\[\\e[0m\\]\\$ '
      alias ls='ls --color=auto'
      alias ll='ls -alF'
      alias la='ls -A'
      alias grep='grep --color=auto'
      alias ..='cd ..'
      alias gs='git status'
      alias smi='nvidia-smi'
      [ -f ~/.bash_aliases ] && . ~/.bash_aliases
      """;

  static final String TMUX_CONF =
      """
      # ~/.tmux.conf written by rig (set `home` in rig.pkl to bring your own).
      set -g mouse on
      set -g history-limit 50000
      set -g default-terminal "tmux-256color"
      set -g base-index 1
      setw -g pane-base-index 1
      set -g status-right '#H %H:%M'
      """;

  static final String PROFILE =
      """
      # ~/.profile written by rig: login shells (ssh) read ~/.bashrc too.
      [ -n "$BASH_VERSION" ] && [ -f ~/.bashrc ] && . ~/.bashrc
      """;

  private HomeLayer() {}

  /** The home layer of {@code spec}, if it has anything to put in /root. */
  public static Optional<LayerInput> layer(ImageSpec spec) {
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    if (!spec.packages().isEmpty()) {
      for (LayerEntry entry : defaults()) {
        byPath.put(entry.path(), entry);
      }
    }
    if (spec.home().isPresent()) {
      if (!(spec.home().get() instanceof HomeSource.Directory dir)) {
        // GitHomes replaces a git source by its checkout before the image is planned.
        throw new IllegalStateException("home of '" + spec.name() + "' is not checked out");
      }
      for (LayerEntry entry : user(dir.path())) {
        byPath.remove(entry.path());
        byPath.put(entry.path(), entry);
      }
    }
    if (byPath.isEmpty()) {
      return Optional.empty();
    }
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory("/root", 0700, 0, 0));
    entries.addAll(byPath.values());
    return Optional.of(new LayerInput(List.copyOf(entries), CREATED_BY));
  }

  /** rig's default dotfiles. */
  static List<LayerEntry> defaults() {
    return List.of(
        text("/root/.bashrc", BASHRC),
        text("/root/.profile", PROFILE),
        text("/root/.tmux.conf", TMUX_CONF));
  }

  /** The user's directory, mapped into /root, modes kept, owned by root; /root itself is 0700. */
  static List<LayerEntry> user(Path dir) {
    List<LayerEntry> host;
    try {
      host = HostTree.entries(dir.toRealPath(), "/root", OptionalInt.empty(), 0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read home " + dir + ": " + e.getMessage(), e);
    }
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    for (LayerEntry entry : host) {
      Optional<String> target = map(entry.path());
      if (target.isEmpty() || target.get().equals("/root")) {
        continue;
      }
      String linkTarget = entry.linkTarget();
      if (entry.type() == EntryType.HARDLINK) {
        linkTarget = map(linkTarget).orElse(linkTarget);
      }
      byPath.put(
          target.get(),
          new LayerEntry(
              target.get(), entry.type(), entry.mode(), 0, 0, entry.content(), linkTarget));
    }
    return List.copyOf(byPath.values());
  }

  /**
   * Where a path of the user's home (as {@code /root/P}) lands: {@code /root/home/USER/REST} →
   * {@code /root/REST}; {@code /root/home} and {@code /root/home/USER} themselves are dropped (the
   * directory /root stands for them); anything else stays.
   */
  public static Optional<String> map(String path) {
    String prefix = "/root/home/";
    if (path.equals("/root/home")) {
      return Optional.empty();
    }
    if (!path.startsWith(prefix)) {
      return Optional.of(path);
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    return Optional.of("/root/" + rest.substring(slash + 1));
  }

  private static LayerEntry text(String path, String text) {
    return LayerEntry.file(
        path, new Content.Bytes(text.getBytes(StandardCharsets.UTF_8)), 0644, 0, 0);
  }
}
