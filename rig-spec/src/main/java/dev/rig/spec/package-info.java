/**
 * The rig spec: the Pkl schema {@code modulepath:/rig/Project.pkl} (a resource of this module),
 * loaders that check {@code rig.pkl}, {@code rig.yaml} and {@code rig.json} against it, and the
 * records they become.
 *
 * <p>Entry points: {@link dev.rig.spec.SpecLoader#find} and {@link dev.rig.spec.SpecLoader#load}
 * give a {@link dev.rig.spec.Project} or a one-line {@link dev.rig.spec.SpecException}; {@link
 * dev.rig.spec.OptionsReference} documents every option from the schema. {@link
 * dev.rig.spec.SpecCache} keeps evaluated specs with everything their evaluation read, so that an
 * unchanged spec loads without Pkl.
 *
 * <p>How checking works: a Pkl spec is evaluated as written; a YAML or JSON spec is first written
 * as a Pkl module amending the schema, with a map from its lines back to the data file. The
 * schema's constraints throw short "problem (fix)" messages, host paths are checked from inside Pkl
 * through a {@code rig-host:} resource, and Pkl's stack frames give the file, line and option of an
 * error.
 */
package dev.rig.spec;
