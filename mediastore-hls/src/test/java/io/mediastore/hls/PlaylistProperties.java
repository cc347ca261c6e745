package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Media and master playlists: render/parse round trips; mutated text parses or fails with INVALID_PLAYLIST. */
class PlaylistProperties {

  @Provide
  Arbitrary<MediaPlaylist.Key> keys() {
    Arbitrary<String> uri = Arbitraries.strings().withChars("abcXYZ019/:._-?=&").ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> iv = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32).injectNull(0.3);
    return Combinators.combine(uri, iv).as(MediaPlaylist.Key::new).injectNull(0.2);
  }

  @Provide
  Arbitrary<MediaPlaylist.Segment> segments() {
    Arbitrary<Double> d = Arbitraries.integers().between(0, 20_000_000).map(us -> us / 1_000_000.0);
    Arbitrary<String> uri = Arbitraries.strings().withChars("abcdefXYZ0123456789/._-?=&%").ofMinLength(1).ofMaxLength(40);
    return Combinators.combine(d, uri, keys()).as(MediaPlaylist.Segment::new);
  }

  @Provide
  Arbitrary<MediaPlaylist> media() {
    return Combinators.combine(Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 30),
        Arbitraries.longs().between(0, 1_000_000), Arbitraries.of("VOD", "EVENT").injectNull(0.3),
        segments().list().ofMaxSize(30), Arbitraries.of(true, false)).as(MediaPlaylist::new);
  }

  @Provide
  Arbitrary<MasterPlaylist> master() {
    Arbitrary<MasterPlaylist.Variant> v = Combinators.combine(Arbitraries.longs().between(1, 100_000_000),
        Arbitraries.longs().between(1, 100_000_000).injectNull(0.3),
        Combinators.combine(Arbitraries.integers().between(1, 7680), Arbitraries.integers().between(1, 4320))
            .as((w, h) -> w + "x" + h).injectNull(0.3),
        Arbitraries.of("avc1.64001F,mp4a.40.2", "mp4a.40.2", "avc1.42E01E").injectNull(0.3),
        Arbitraries.strings().withChars("abc0123/._-?=").ofMinLength(1).ofMaxLength(30))
        .as(MasterPlaylist.Variant::new);
    return Combinators.combine(Arbitraries.integers().between(1, 7), v.list().ofMaxSize(8)).as(MasterPlaylist::new);
  }

  @Property(tries = 500)
  void mediaRoundTrips(@ForAll("media") MediaPlaylist p) {
    assertEquals(p, MediaPlaylist.parse(p.render()));
    assertEquals(p.render(), MediaPlaylist.parse(p.render().replace("\n", "\r\n")).render());
  }

  @Property(tries = 300)
  void masterRoundTrips(@ForAll("master") MasterPlaylist p) {
    assertEquals(p, MasterPlaylist.parse(p.render()));
  }

  @Property(tries = 1000)
  void mutatedMediaParsesOrIsRefused(@ForAll("media") MediaPlaylist p, @ForAll @IntRange(min = 0, max = 100_000) int at,
      @ForAll("junk") String insert, @ForAll @IntRange(min = 0, max = 8) int delete) {
    String t = p.render();
    int i = at % (t.length() + 1);
    String mutated = t.substring(0, i) + insert + t.substring(Math.min(t.length(), i + delete));
    try {
      MediaPlaylist back = MediaPlaylist.parse(mutated);
      assertEquals(back, MediaPlaylist.parse(back.render()));
    } catch (HlsException e) {
      assertEquals(HlsException.Reason.INVALID_PLAYLIST, e.reason());
    }
  }

  @Property(tries = 1000)
  void mutatedMasterParsesOrIsRefused(@ForAll("master") MasterPlaylist p, @ForAll @IntRange(min = 0, max = 100_000) int at,
      @ForAll("junk") String insert, @ForAll @IntRange(min = 0, max = 8) int delete) {
    String t = p.render();
    int i = at % (t.length() + 1);
    String mutated = t.substring(0, i) + insert + t.substring(Math.min(t.length(), i + delete));
    try {
      MasterPlaylist back = MasterPlaylist.parse(mutated);
      assertEquals(back, MasterPlaylist.parse(back.render()));
    } catch (HlsException e) {
      assertEquals(HlsException.Reason.INVALID_PLAYLIST, e.reason());
    }
  }

  @Property(tries = 500)
  void arbitraryTextIsRefusedWithInvalidPlaylist(@ForAll("junk") String text, @ForAll boolean header) {
    String t = header ? "#EXTM3U\n" + text : text;
    for (Runnable r : List.<Runnable>of(() -> MediaPlaylist.parse(t), () -> MasterPlaylist.parse(t))) {
      try {
        r.run();
      } catch (HlsException e) {
        assertEquals(HlsException.Reason.INVALID_PLAYLIST, e.reason());
      }
    }
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("#EXTINF:", "#EXTINF:x,", "#EXT-X-KEY:METHOD=AES-128", "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"a\",IV=0x12", ",", "\"", "=", "\n", "\r\n", "#EXT-X-TARGETDURATION:99999999999",
            "#EXT-X-STREAM-INF:BANDWIDTH=", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=x\nu", "#EXT-X-VERSION:0", "\nseg.ts\n",
            "#EXT-X-MEDIA-SEQUENCE:-1", "#EXT-X-PLAYLIST-TYPE:LIVE", "RESOLUTION=0x0", "#EXT-X-ENDLIST"));
  }
}
