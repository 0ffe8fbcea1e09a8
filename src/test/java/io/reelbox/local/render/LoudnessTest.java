package io.reelbox.local.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading loudnorm's first pass, as ffmpeg 4.4 prints it at the end of its log, and the second pass it leads to. */
class LoudnessTest {

    private static String log(String i, String tp) {
        return "[Parsed_loudnorm_3 @ 0x55]\n{\n\t\"input_i\" : \"" + i + "\",\n\t\"input_tp\" : \"" + tp + "\",\n\t\"input_lra\" : \"6.30\",\n"
                + "\t\"input_thresh\" : \"-37.12\",\n\t\"output_i\" : \"-14.02\",\n\t\"output_tp\" : \"-1.00\",\n\t\"output_lra\" : \"5.10\",\n"
                + "\t\"output_thresh\" : \"-24.05\",\n\t\"normalization_type\" : \"dynamic\",\n\t\"target_offset\" : \"0.02\"\n}\n";
    }

    @Test
    void aMeasuredMixIsBroughtToItsTargetWithItsOwnFigures() {
        Loudness l = Loudness.read(-14, log("-27.61", "-4.47"));
        assertEquals(-27.61, l.measured().integrated(), 1e-9);
        assertEquals(-4.47, l.measured().truePeak(), 1e-9);
        String filter = l.applying();
        assertTrue(filter.contains("loudnorm=I=-14.0:TP=-1.0:LRA=11:measured_I=-27.61:measured_TP=-4.47:measured_LRA=6.30"
                + ":measured_thresh=-37.12:offset=0.02:linear=true"), filter);
        assertTrue(filter.endsWith(",aresample=48000"), "back to 48 kHz from loudnorm's 192: " + filter);
    }

    @Test
    void silenceIsLeftAlone() {
        Loudness l = Loudness.read(-14, log("-inf", "-inf"));
        assertNull(l.measured());
        assertEquals("", l.applying());
        assertNull(Loudness.read(-23, log("-75.00", "-60.00")).measured(), "under the absolute gate is silence");
    }

    @Test
    void aLogWithoutMeasurementsIsAnError() {
        assertThrows(IllegalStateException.class, () -> Loudness.read(-14, "Conversion failed!"));
    }
}
