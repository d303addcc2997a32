package dev.rig.init.json;

/** Text that is not JSON, or a value of the wrong shape; the message starts with the place. */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonException(JsonValue.Place place, String message) {
    super(place + ": " + message);
  }
}
