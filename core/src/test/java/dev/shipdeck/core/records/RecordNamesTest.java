package dev.shipdeck.core.records;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordNamesTest {
    @Test
    void aReleaseIsNamedByWorkloadTemplateHashAndRevision() {
        assertThat(RecordNames.release("checkout", "5d5d9584b", 3)).isEqualTo("checkout-5d5d9584b-3");
        assertThat(RecordNames.release("checkout", "5d5d9584b", 3)).as("the same inputs, the same name")
                .isEqualTo(RecordNames.release("checkout", "5d5d9584b", 3));
    }

    @Test
    void namesAreValidObjectNames() {
        assertThat(RecordNames.of("Checkout_API", "1.4.2+build.7")).isEqualTo("checkout-api-1-4-2-build-7");
        assertThat(RecordNames.of("--", "")).isEqualTo("x");
    }

    @Test
    void longNamesAreShortenedWithAHashSoTheyStayDistinct() {
        String a = RecordNames.of("a".repeat(80), "one");
        String b = RecordNames.of("a".repeat(80), "two");
        assertThat(a).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
        assertThat(b).hasSizeLessThanOrEqualTo(63);
        assertThat(a).isNotEqualTo(b);
    }
}
