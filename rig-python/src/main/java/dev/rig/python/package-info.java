/**
 * Python environments from wheels: the simple-API index client, PEP 440 versions and specifiers,
 * PEP 508 markers, wheel tag compatibility, the resolver that turns requirements into a locked set
 * of wheels, and the installer that lays wheels out in a venv deterministically. Pure values and
 * functions; the network and the disk are touched only by the index client and the installer.
 */
package dev.rig.python;
