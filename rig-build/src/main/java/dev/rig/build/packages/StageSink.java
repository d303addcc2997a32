package dev.rig.build.packages;

/**
 * Where an install hands each stage it finished, so that the package layers the stage already fixes
 * can be built while the stages above it install (dpkg keeps one core busy; the other is free).
 */
public interface StageSink {
  /** No one listening: the layers are built once the install is over. */
  StageSink NONE =
      new StageSink() {
        @Override
        public int budget() {
          return 0;
        }

        @Override
        public void finished(FinishedStage stage) {}
      };

  /** The layers the image's packages get, as {@link PackageLayers#split} is given them. */
  int budget();

  /** Called on the install's thread, right after the stage is in the cache; must not block. */
  void finished(FinishedStage stage);
}
