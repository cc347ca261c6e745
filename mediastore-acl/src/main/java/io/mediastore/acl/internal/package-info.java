/**
 * Implementation of io.mediastore.acl: compiled schemas, immutable policy snapshots and their indexes.
 * Not API; may change at any time.
 */
package io.mediastore.acl.internal;
