/** Implementation details; not API, may change at any time. */
package io.mediastore.hls.internal;
