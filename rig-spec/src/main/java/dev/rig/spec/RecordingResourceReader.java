package dev.rig.spec;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import org.pkl.core.SecurityManager;
import org.pkl.core.SecurityManagerException;
import org.pkl.core.externalreader.ExternalReaderProcessException;
import org.pkl.core.module.PathElement;
import org.pkl.core.resource.ResourceReader;

/**
 * A resource reader that notes each answer it gives in {@link SpecInputs}, so that a cached spec
 * can later be checked by asking the same reader the same question ({@link #replay}). Globs list
 * directories, which this does not record: they make the evaluation uncacheable.
 */
final class RecordingResourceReader implements ResourceReader {
  static final String NOT_FOUND = "not found";

  private final ResourceReader delegate;
  private final SpecInputs inputs;

  RecordingResourceReader(ResourceReader delegate, SpecInputs inputs) {
    this.delegate = delegate;
    this.inputs = inputs;
  }

  @Override
  public String getUriScheme() {
    return delegate.getUriScheme();
  }

  @Override
  public Optional<Object> read(URI uri)
      throws IOException,
          URISyntaxException,
          SecurityManagerException,
          ExternalReaderProcessException {
    Optional<Object> answer;
    try {
      answer = delegate.read(uri);
    } catch (FileNotFoundException | NoSuchFileException e) {
      inputs.add(new SpecInput(SpecInput.Kind.RESOURCE, uri.toString(), "", NOT_FOUND));
      throw e;
    } catch (Exception e) {
      inputs.uncacheable("reading " + uri + " failed");
      throw e;
    }
    Optional<String> digest = SpecInputs.digest(answer);
    if (digest.isPresent()) {
      inputs.add(new SpecInput(SpecInput.Kind.RESOURCE, uri.toString(), "", digest.get()));
    } else {
      inputs.uncacheable("reading " + uri + " gave a value that cannot be compared");
    }
    return answer;
  }

  /**
   * What {@code reader} answers for {@code uri} now, as {@link #read} recorded it; empty if it
   * fails.
   */
  static Optional<String> replay(ResourceReader reader, URI uri) {
    try {
      return SpecInputs.digest(reader.read(uri));
    } catch (FileNotFoundException | NoSuchFileException e) {
      return Optional.of(NOT_FOUND);
    } catch (Exception e) {
      return Optional.empty();
    }
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
    inputs.uncacheable("a glob read of " + elementUri);
    return delegate.hasElement(securityManager, elementUri);
  }

  @Override
  public List<PathElement> listElements(SecurityManager securityManager, URI baseUri)
      throws IOException, SecurityManagerException, ExternalReaderProcessException {
    inputs.uncacheable("a glob read in " + baseUri);
    return delegate.listElements(securityManager, baseUri);
  }

  @Override
  public URI resolveUri(URI baseUri, URI uri) throws IOException, SecurityManagerException {
    return delegate.resolveUri(baseUri, uri);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
