package dev.shipdeck.app.common;

import javafx.scene.image.Image;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The application icon in the sizes the window manager may pick from. */
public final class AppIcons {
    public static final int[] SIZES = {16, 32, 48, 64, 128, 256};

    private AppIcons() {}

    public static List<Image> all() {
        List<Image> out = new ArrayList<>();
        for (int s : SIZES) {
            Image i = load(s);
            if (i != null) out.add(i);
        }
        return out;
    }

    /** The icon of one size, or null when it is not packaged. */
    public static Image load(int size) {
        InputStream in = AppIcons.class.getResourceAsStream("/dev/shipdeck/app/icons/shipdeck-" + size + ".png");
        return in == null ? null : new Image(in);
    }
}
