package dev.rig.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OptionPathTest {

  @Test
  void readsPklMemberNames() {
    OptionPath path = OptionPath.ofPklMember("rig#images[\"foo\"].exposedPorts[#2]");

    assertEquals(
        OptionPath.ROOT.property("images").key("foo").property("exposedPorts").index(1), path);
  }

  @Test
  void readsQuotedKeysAndBacktickedNames() {
    assertEquals(
        OptionPath.ROOT.property("labels").key("a\"b").property("my-option"),
        OptionPath.ofPklMember("m#labels[\"a\\\"b\"].`my-option`"));
  }

  @Test
  void aModuleMemberIsTheRoot() {
    assertEquals(OptionPath.ROOT, OptionPath.ofPklMember("rig"));
  }

  @Test
  void stopsAtWhatIsNoOption() {
    assertEquals(
        OptionPath.ROOT.property("images"), OptionPath.ofPklMember("rig#images.<function#1>"));
  }

  @Test
  void rendersInEachStyle() {
    OptionPath path =
        OptionPath.ROOT
            .property("images")
            .key("foo")
            .property("extraLabels")
            .key("org.opencontainers.image.title");

    assertEquals(
        "images[\"foo\"].extraLabels[\"org.opencontainers.image.title\"]",
        path.render(OptionPath.Style.PKL));
    assertEquals(
        "images.foo.extraLabels[\"org.opencontainers.image.title\"]",
        path.render(OptionPath.Style.DATA));
    assertEquals(
        "images.foo.copyToRoot[0].source",
        OptionPath.ROOT
            .property("images")
            .key("foo")
            .property("copyToRoot")
            .index(0)
            .property("source")
            .render(OptionPath.Style.DATA));
  }
}
