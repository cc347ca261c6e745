/**
 * Implementation details of io.mediastore.storage: not API, may change at any time.
 */
package io.mediastore.storage.internal;
