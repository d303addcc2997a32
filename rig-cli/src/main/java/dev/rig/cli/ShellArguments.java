package dev.rig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The argument order {@code rig shell} accepts. Everything after the first word that follows NAME
 * is the container's command, as in {@code docker run IMAGE CMD...}, so {@code rig shell gpu bash
 * -c 'ls -la'} needs no {@code --}. But rig's own options written right after NAME ({@code rig
 * shell gpu --dry-run bash}) are rig's: taking {@code --dry-run} as the container's command would
 * start the very container the user asked only to see. This moves such options in front of NAME
 * before picocli reads the line; a word that is not one of rig shell's options ends them, and so
 * does {@code --}.
 */
final class ShellArguments {
  private ShellArguments() {}

  /** {@code args} as given to {@code rig} (the first word is {@code shell}), reordered. */
  static String[] hoistOptions(CommandSpec shell, String[] args) {
    Optional<Integer> nameAt = nameIndex(shell, args);
    if (nameAt.isEmpty()) {
      return args;
    }
    int name = nameAt.get();
    List<String> options = new ArrayList<>();
    int i = name + 1;
    while (i < args.length) {
      Optional<OptionSpec> option = optionOf(shell, args[i]);
      if (option.isEmpty()) {
        break;
      }
      options.add(args[i]);
      boolean takesValue = option.get().arity().max() > 0 && !args[i].contains("=");
      if (takesValue && i + 1 < args.length) {
        options.add(args[i + 1]);
        i++;
      }
      i++;
    }
    if (options.isEmpty()) {
      return args;
    }
    List<String> reordered = new ArrayList<>(List.of(args).subList(0, name));
    reordered.addAll(options);
    reordered.add(args[name]);
    reordered.addAll(List.of(args).subList(i, args.length));
    return reordered.toArray(String[]::new);
  }

  /** Where NAME is: the first word after {@code shell} that is neither an option nor its value. */
  private static Optional<Integer> nameIndex(CommandSpec shell, String[] args) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--")) {
        return Optional.empty();
      }
      Optional<OptionSpec> option = optionOf(shell, args[i]);
      if (option.isPresent()) {
        if (option.get().arity().max() > 0 && !args[i].contains("=")) {
          i++;
        }
        continue;
      }
      if (args[i].startsWith("-")) {
        return Optional.empty(); // an unknown option: picocli says so
      }
      return Optional.of(i);
    }
    return Optional.empty();
  }

  private static Optional<OptionSpec> optionOf(CommandSpec shell, String word) {
    if (!word.startsWith("-") || word.equals("-")) {
      return Optional.empty();
    }
    String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
    return Optional.ofNullable(shell.findOption(name));
  }
}
