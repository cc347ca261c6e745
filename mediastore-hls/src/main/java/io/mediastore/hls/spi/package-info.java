/**
 * Extension points: {@link io.mediastore.hls.spi.ContentKeyStore} (where content keys live) and
 * {@link io.mediastore.hls.spi.Transcoder} (how derivative renditions are made; discovered with
 * {@link java.util.ServiceLoader} or installed explicitly).
 */
package io.mediastore.hls.spi;
