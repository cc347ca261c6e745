/**
 * HLS packaging and encryption of a 250 MB MPEG-TS: mediastore-hls against the bundled FFmpeg 7.1's own
 * {@code -c copy -f hls -hls_key_info_file} and against a bare JCE read-encrypt-write loop.
 */
package io.mediastore.benchmarks.hls;
