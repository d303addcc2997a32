package dev.rig.registry.sign;

import java.util.Base64;
import java.util.List;

/** PEM blocks: base64 in 64-column lines between BEGIN and END lines naming the content. */
final class Pem {
  private Pem() {}

  static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The bytes of the first block labelled one of {@code labels}. */
  static byte[] decode(String text, List<String> labels, String where) throws KeyFileException {
    for (String label : labels) {
      String begin = "-----BEGIN " + label + "-----";
      String end = "-----END " + label + "-----";
      int from = text.indexOf(begin);
      if (from < 0) {
        continue;
      }
      int to = text.indexOf(end, from);
      if (to < 0) {
        throw new KeyFileException(where + ": the " + label + " block has no END line");
      }
      try {
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to).strip());
      } catch (IllegalArgumentException e) {
        throw new KeyFileException(where + ": the " + label + " block is not base64", e);
      }
    }
    throw new KeyFileException(
        where
            + ": no "
            + String.join(" or ", labels)
            + " block; give a key file written by `rig key generate`, cosign or skopeo");
  }
}
