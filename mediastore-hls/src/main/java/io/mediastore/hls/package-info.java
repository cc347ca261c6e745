/**
 * Encrypted HLS streaming for MediaStore: derivative renditions through FFmpeg, pure-Java MPEG-TS segmenting with AES-128 encryption, content keys and their rotation, and master and media playlists.
 * It owns key delivery behind a caller-supplied authorizer, so that every video view needs a freshly validated token.
 */
package io.mediastore.hls;
