// SPDX-License-Identifier: GPL-3.0-or-later
// Checks a console screenshot: it exists, has the window's size and is not blank.
#include <QGuiApplication>
#include <QImage>
#include <QSet>

#include <cstdio>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: tst_screenshotcheck FILE.png\n");
        return 2;
    }
    const QImage image(QString::fromLocal8Bit(argv[1]));
    if (image.isNull()) {
        std::fprintf(stderr, "FAIL: %s is missing or not an image\n", argv[1]);
        return 1;
    }
    if (image.width() < 1000 || image.height() < 600) {
        std::fprintf(
            stderr, "FAIL: %s is %dx%d, smaller than the window\n", argv[1], image.width(), image.height());
        return 1;
    }
    // A populated page has text, badges and borders: many colours. A blank or single-colour
    // capture has one or two.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    if (colours.size() < 32) {
        std::fprintf(stderr, "FAIL: %s has only %lld colours: blank\n", argv[1], qlonglong(colours.size()));
        return 1;
    }
    std::printf(
        "PASS: %s %dx%d, %lld colours\n", argv[1], image.width(), image.height(), qlonglong(colours.size()));
    return 0;
}
