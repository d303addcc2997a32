package dev.rig.spec;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pkl.core.SecurityManager;
import org.pkl.core.SecurityManagerException;
import org.pkl.core.externalreader.ExternalReaderProcessException;
import org.pkl.core.module.ModuleKey;
import org.pkl.core.module.ModuleKeyFactory;
import org.pkl.core.module.PathElement;
import org.pkl.core.module.ResolvedModuleKey;

/**
 * Wraps Pkl's {@code file:} module keys so that every module source Pkl loads is noted in {@link
 * SpecInputs}: its URI, the real path it was read from, and a digest of the text. Only {@code
 * file:} is wrapped: {@code pkl:} and {@code modulepath:} modules ship inside rig's own jars, whose
 * identity is part of the cache key, and pkl-core recognises its standard library by the key's
 * class. Globbed and triple-dot imports probe the file system in ways not recorded here, so they
 * make the evaluation uncacheable.
 */
final class RecordingModuleKeys {
  private RecordingModuleKeys() {}

  /** A factory whose keys are {@code delegate}'s, recording into {@code inputs}. */
  static ModuleKeyFactory factory(ModuleKeyFactory delegate, SpecInputs inputs) {
    return new ModuleKeyFactory() {
      @Override
      public Optional<ModuleKey> create(URI uri)
          throws URISyntaxException, ExternalReaderProcessException, IOException {
        return delegate.create(uri).map(key -> new Key(key, inputs));
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }

  /**
   * Whether the {@code file:} module at {@code uri} would load now exactly as recorded: it still
   * resolves to the same real path and holds the same bytes.
   */
  static boolean unchanged(SpecInput input) {
    try {
      Path real = Path.of(new URI(input.uri())).toRealPath();
      if (!real.toUri().toString().equals(input.resolved())) {
        return false;
      }
      // Pkl decodes the file as strict UTF-8, so for any file it could load, these bytes are the
      // ones whose digest was recorded from its text.
      return SpecInputs.digest(Files.readAllBytes(real)).equals(input.digest());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  private static final class Key implements ModuleKey {
    private final ModuleKey delegate;
    private final SpecInputs inputs;

    Key(ModuleKey delegate, SpecInputs inputs) {
      this.delegate = delegate;
      this.inputs = inputs;
    }

    @Override
    public URI getUri() {
      return delegate.getUri();
    }

    @Override
    public ResolvedModuleKey resolve(SecurityManager securityManager)
        throws IOException, SecurityManagerException {
      try {
        return new Resolved(this, delegate.resolve(securityManager), inputs);
      } catch (IOException | SecurityManagerException | RuntimeException e) {
        inputs.uncacheable("resolving " + getUri() + " failed");
        throw e;
      }
    }

    @Override
    public URI resolveUri(URI uri) throws IOException, SecurityManagerException {
      return delegate.resolveUri(uri);
    }

    @Override
    public boolean isCached() {
      return delegate.isCached();
    }

    @Override
    public boolean isLocal() {
      return delegate.isLocal();
    }

    @Override
    public Path getFileCacheLocation() {
      return delegate.getFileCacheLocation();
    }

    @Override
    public boolean hasHierarchicalUris() throws ExternalReaderProcessException, IOException {
      return delegate.hasHierarchicalUris();
    }

    @Override
    public boolean isGlobbable() throws ExternalReaderProcessException, IOException {
      return delegate.isGlobbable();
    }

    @Override
    public boolean hasFragmentPaths() {
      return delegate.hasFragmentPaths();
    }

    @Override
    public boolean hasElement(SecurityManager securityManager, URI elementUri)
        throws IOException, SecurityManagerException, ExternalReaderProcessException {
      inputs.uncacheable("a glob or triple-dot import probed " + elementUri);
      return delegate.hasElement(securityManager, elementUri);
    }

    @Override
    public List<PathElement> listElements(SecurityManager securityManager, URI baseUri)
        throws IOException, SecurityManagerException, ExternalReaderProcessException {
      inputs.uncacheable("a glob import listed " + baseUri);
      return delegate.listElements(securityManager, baseUri);
    }

    @Override
    public URI resolveUri(URI baseUri, URI uri) throws IOException, SecurityManagerException {
      return delegate.resolveUri(baseUri, uri);
    }
  }

  private static final class Resolved implements ResolvedModuleKey {
    private final Key original;
    private final ResolvedModuleKey delegate;
    private final SpecInputs inputs;

    Resolved(Key original, ResolvedModuleKey delegate, SpecInputs inputs) {
      this.original = original;
      this.delegate = delegate;
      this.inputs = inputs;
    }

    @Override
    public ModuleKey getOriginal() {
      return original;
    }

    @Override
    public URI getUri() {
      return delegate.getUri();
    }

    @Override
    public String loadSource() throws IOException {
      String text;
      try {
        text = delegate.loadSource();
      } catch (IOException | RuntimeException e) {
        inputs.uncacheable("loading " + getUri() + " failed");
        throw e;
      }
      inputs.add(
          new SpecInput(
              SpecInput.Kind.MODULE,
              original.getUri().toString(),
              getUri().toString(),
              SpecInputs.digest(text.getBytes(StandardCharsets.UTF_8))));
      return text;
    }
  }
}
