package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.reelbox.local.delivery.Colour;

/** The encoders' arguments; what they make is measured on rendered MP4s (ColourAndContainerTest, DeliveryTest). */
class EncodingTest {

    @Test
    void aSlowZoomIsCappedAtYoutubesRecommendedRateScaledToTheFrame() {
        List<String> zoom = Encoding.video(1920, 1080, 30, false, true, Colour.of(1920, 1080));
        assertEquals("8000000", zoom.get(zoom.indexOf("-maxrate") + 1), "8 Mb/s at 1080p30, as YouTube recommends");
        List<String> portrait = Encoding.video(1080, 1920, 30, false, true, Colour.of(1080, 1920));
        assertEquals("8000000", portrait.get(portrait.indexOf("-maxrate") + 1), "the same pixels on end");
        List<String> small = Encoding.video(1280, 720, 30, false, true, Colour.of(1280, 720));
        assertEquals("3555555", small.get(small.indexOf("-maxrate") + 1));
        List<String> still = Encoding.video(1920, 1080, 30, true, false, Colour.of(1920, 1080));
        assertFalse(still.contains("-maxrate"), "no cap without a zoom: CRF decides");
        assertTrue(still.containsAll(List.of("-g", "60", "-threads", "2", "-colorspace", "bt709")));
    }
}
