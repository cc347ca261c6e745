package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaylistPersonalizerTest {
  static final String IV1 = "000102030405060708090a0b0c0d0e0f";
  static final String IV2 = "0f0e0d0c0b0a09080706050403020100";

  MediaPlaylist playlist() {
    MediaPlaylist.Key a1 = new MediaPlaylist.Key("https://k.example/keys/a", IV1);
    MediaPlaylist.Key a2 = new MediaPlaylist.Key("https://k.example/keys/a", IV2);
    MediaPlaylist.Key b = new MediaPlaylist.Key("https://k.example/keys/b?token=old&x=1#f", null);
    return new MediaPlaylist(3, 2, 0, "VOD", List.of(new MediaPlaylist.Segment(2, "s0.ts", a1),
        new MediaPlaylist.Segment(2, "s1.ts", a2), new MediaPlaylist.Segment(1.5, "s2.ts?x=1", b)), true);
  }

  @Test
  void keyUrisGetOneFreshTokenEach() {
    List<String> asked = new ArrayList<>();
    MediaPlaylist p = PlaylistPersonalizer.keysOnly().personalize(playlist(), uri -> {
      asked.add(uri);
      return "t+/" + asked.size();
    });
    assertEquals(2, asked.size(), "one mint per distinct key URI");
    assertEquals("https://k.example/keys/a?token=t%2B%2F1", p.segments().get(0).key().uri());
    assertEquals(IV2, p.segments().get(1).key().ivHex(), "IVs are kept");
    assertEquals("https://k.example/keys/b?x=1&token=t%2B%2F2#f", p.segments().get(2).key().uri(), "an old token is replaced");
    assertEquals("s0.ts", p.segments().get(0).uri());
    assertEquals(p, MediaPlaylist.parse(p.render()));
  }

  @Test
  void segmentsAndVariantsToo() {
    MediaPlaylist p = PlaylistPersonalizer.keysAndSegments().withParameter("st").personalize(playlist(), uri -> "v");
    assertEquals("s2.ts?x=1&st=v", p.segments().get(2).uri());
    assertEquals("https://k.example/keys/a?st=v", p.segments().get(0).key().uri());
    MasterPlaylist m = new MasterPlaylist(3, List.of(new MasterPlaylist.Variant(1000, 900L, "640x360", "mp4a.40.2", "360p/index.m3u8")));
    assertEquals("360p/index.m3u8?st=v", PlaylistPersonalizer.keysAndSegments().withParameter("st").personalize(m, u -> "v").variants().get(0).uri());
    assertEquals(m, PlaylistPersonalizer.keysOnly().personalize(m, u -> "v"));
  }
}
