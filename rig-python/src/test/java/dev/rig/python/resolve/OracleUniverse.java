package dev.rig.python.resolve;

import dev.rig.testkit.TestWheel;
import dev.rig.testkit.WheelIndex;
import java.util.Optional;

/**
 * The projects the pip oracle test resolves against: pure-Python and "C extension" wheels (tagged
 * for CPython 3.11 on manylinux x86_64, no compiler needed), several versions each, a yanked file,
 * pre-, post- and local versions, an epoch, markers, extras, Requires-Python on the page and only
 * in the metadata, clashes that need backtracking, and projects with only an sdist or only wheels
 * for other platforms.
 */
final class OracleUniverse {
  private static final String CP311 = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64";

  private OracleUniverse() {}

  static void fill(WheelIndex index) {
    // purelib: plain versions, a pre-release, a yanked newest release, an sdist beside them.
    index.add(TestWheel.pure("purelib", "1.0"), true);
    index.add(TestWheel.pure("purelib", "1.1"), false);
    index.add(TestWheel.pure("purelib", "2.0"), true);
    index.add(TestWheel.pure("purelib", "2.1rc1"), false);
    index.add(
        TestWheel.pure("purelib", "3.0"), true, Optional.of("broken release"), Optional.empty());
    index.addSdist("purelib", "3.1");

    // cext: "C extension" wheels; 1.1 also has a pure wheel (the cp311 one must win), 1.0 has two
    // builds, 1.2 needs a newer glibc and 2.0 exists only for CPython 3.12.
    index.add(TestWheel.pure("cext", "1.0").tags(CP311).build("1"), false);
    index.add(TestWheel.pure("cext", "1.0").tags(CP311).build("2"), true);
    index.add(TestWheel.pure("cext", "1.1").tags("cp311-cp311-manylinux_2_28_x86_64"), true);
    index.add(TestWheel.pure("cext", "1.1"), true);
    index.add(TestWheel.pure("cext", "1.1").tags("cp311-cp311-musllinux_1_1_x86_64"), false);
    index.add(TestWheel.pure("cext", "1.2").tags("cp311-cp311-manylinux_2_39_x86_64"), false);
    index.add(TestWheel.pure("cext", "2.0").tags("cp312-cp312-manylinux_2_17_x86_64"), false);

    // cabi: a stable-ABI wheel next to one for an older interpreter.
    index.add(TestWheel.pure("cabi", "1.0").tags("cp38-abi3-manylinux_2_17_x86_64"), true);
    index.add(TestWheel.pure("cabi", "1.0").tags("cp36-abi3-manylinux1_x86_64"), false);
    index.add(TestWheel.pure("cabi", "1.1").tags("cp311-abi3-manylinux_2_17_aarch64"), false);

    // markerdep: dependencies that apply only on other targets.
    index.add(
        TestWheel.pure("markerdep", "1.0")
            .requires(
                "purelib>=2 ; python_version >= \"3.8\"",
                "winonly ; sys_platform == \"win32\"",
                "armonly ; platform_machine == 'aarch64'",
                "oldpy ; python_version < \"3\" or implementation_name == \"pypy\""),
        false);
    index.add(TestWheel.pure("markerdep", "0.9").requires("purelib>=1"), true);

    // extraspkg: extras with their own dependencies; needsextra asks for one.
    index.add(
        TestWheel.pure("extraspkg", "1.0")
            .extras("fast", "cli")
            .requires(
                "cext>=1.0 ; extra == \"fast\"", "clitool ; extra == 'cli' and os_name == 'posix'"),
        true);
    index.add(TestWheel.pure("clitool", "0.5"), false);
    index.add(TestWheel.pure("clitool", "0.6").requires("purelib<2"), true);
    index.add(TestWheel.pure("needsextra", "1.0").requires("extraspkg[cli]"), false);

    // app/lib: the newest app needs a newer lib than the user allows.
    index.add(TestWheel.pure("lib", "1.0"), true);
    index.add(TestWheel.pure("lib", "1.5"), false);
    index.add(TestWheel.pure("lib", "2.0"), true);
    index.add(TestWheel.pure("app", "3.0").requires("lib>=2"), true);
    index.add(TestWheel.pure("app", "2.0").requires("lib>=1,<2"), false);

    // alpha/beta/gamma: a clash two levels down.
    index.add(TestWheel.pure("alpha", "2.0").requires("beta==2.0"), true);
    index.add(TestWheel.pure("alpha", "1.0").requires("beta==1.0"), false);
    index.add(TestWheel.pure("beta", "2.0").requires("gamma>=2"), false);
    index.add(TestWheel.pure("beta", "1.0").requires("gamma<2"), true);
    index.add(TestWheel.pure("gamma", "1.0"), true);
    index.add(TestWheel.pure("gamma", "2.0"), false);

    // Only an sdist; only wheels for other platforms (and an sdist).
    index.addSdist("srconly", "1.0");
    index.addSdist("srconly", "1.1");
    index.add(TestWheel.pure("otherplat", "1.0").tags("cp311-cp311-win_amd64"), false);
    index.add(TestWheel.pure("otherplat", "1.0").tags("cp311-cp311-macosx_11_0_arm64"), false);
    index.addSdist("otherplat", "1.0");

    // Requires-Python on the page, and only in the metadata.
    index.add(TestWheel.pure("newpy", "1.0"), false);
    index.add(
        TestWheel.pure("newpy", "2.0").requiresPython(">=3.12"),
        false,
        Optional.empty(),
        Optional.of(">=3.12"));
    index.add(TestWheel.pure("metapy", "1.0").requiresPython(">=3.8"), true);
    index.add(TestWheel.pure("metapy", "2.0").requiresPython(">=3.13"), true);

    // Post and local versions, epochs, a dotted name.
    index.add(TestWheel.pure("localver", "1.0"), true);
    index.add(TestWheel.pure("localver", "1.0.post1"), false);
    index.add(TestWheel.pure("localver", "1.0+cpu"), false);
    index.add(TestWheel.pure("localver", "1.1"), true);
    index.add(TestWheel.pure("epochy", "1.0"), true);
    index.add(TestWheel.pure("epochy", "1!0.5"), false);
    index.add(TestWheel.pure("dotted.name", "1.0"), false);

    // A dependency that no index has: the newer version must be dropped.
    index.add(TestWheel.pure("needsmissing", "2.0").requires("nosuchproject>=1"), true);
    index.add(TestWheel.pure("needsmissing", "1.0"), false);
  }
}
