package dev.rig.registry;

import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
final class RecordingListener implements RegistryListener {
  final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(RegistryEvent event) {
    events.add(event);
  }

  <T extends RegistryEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
