// SPDX-License-Identifier: GPL-3.0-or-later
// multipart/form-data parsing: what browsers and curl send, and what must be refused.
#include "api/multipart.h"

#include <QTest>

using namespace lm;
using namespace lm::api;

namespace {
const std::string kType = "multipart/form-data; boundary=----x7MA4YWxk";
std::string body(std::initializer_list<std::string> parts)
{
    std::string out;
    for (const auto &p : parts)
        out += "------x7MA4YWxk\r\n" + p + "\r\n";
    out += "------x7MA4YWxk--\r\n";
    return out;
}
} // namespace

class TestMultipart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesFieldsAndFiles()
    {
        const std::string b = body({
            "Content-Disposition: form-data; name=\"name\"\r\n\r\nSEO basics",
            "Content-Disposition: form-data; name=\"file\"; filename=\"seo.md\"\r\nContent-Type: "
            "text/markdown\r\n\r\n# SEO\r\n\r\nKeep --boundary-like text: ------x7MA4YWx\r\n",
        });
        auto form = MultipartForm::parse(kType, b);
        QVERIFY(form.ok());
        QCOMPARE(form->parts().size(), std::size_t(2));
        QCOMPARE(form->text(QStringLiteral("name")), QStringLiteral("SEO basics"));
        const MultipartPart *file = form->part(QStringLiteral("file"));
        QVERIFY(file);
        QVERIFY(file->hasFilename);
        QCOMPARE(file->filename, QStringLiteral("seo.md"));
        QCOMPARE(file->contentType, std::string("text/markdown"));
        // The CRLF before the delimiter belongs to the delimiter; the rest of the data is kept.
        QCOMPARE(std::string(file->data),
            std::string("# SEO\r\n\r\nKeep --boundary-like text: ------x7MA4YWx\r\n"));
        QVERIFY(!form->has(QStringLiteral("missing")));
        QVERIFY(form->text(QStringLiteral("missing")).isEmpty());
    }

    void quotedBoundaryAndEmptyPart()
    {
        const std::string b
            = "preamble\r\n--a;b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--a;b--";
        auto form = MultipartForm::parse("Multipart/Form-Data; charset=utf-8; boundary=\"a;b\"", b);
        QVERIFY(form.ok());
        QCOMPARE(form->parts().size(), std::size_t(1));
        QVERIFY(form->part(QStringLiteral("empty"))->data.empty());
        QVERIFY(!form->part(QStringLiteral("empty"))->hasFilename);
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        const QByteArray type = QByteArray::fromStdString(kType);
        QTest::newRow("json content type") << QByteArray("application/json") << QByteArray("{}");
        QTest::newRow("no boundary") << QByteArray("multipart/form-data") << QByteArray("--x\r\n");
        QTest::newRow("boundary not in body") << type << QByteArray("hello");
        QTest::newRow("unterminated part")
            << type
            << QByteArray("------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue");
        QTest::newRow("headers never end")
            << type << QByteArray("------x7MA4YWxk\r\nContent-Disposition: form-data");
        QTest::newRow("no disposition")
            << type << QByteArray::fromStdString(body({"Content-Type: text/plain\r\n\r\nx"}));
        QTest::newRow("no name") << type
                                 << QByteArray::fromStdString(
                                        body({"Content-Disposition: form-data\r\n\r\nx"}));
        QTest::newRow("header without colon")
            << type << QByteArray::fromStdString(body({"Content-Disposition form-data\r\n\r\nx"}));
        QTest::newRow("garbage after boundary") << type << QByteArray("------x7MA4YWxkjunk");
    }
    void refuses()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        auto form = MultipartForm::parse(contentType.toStdString(), body.toStdString());
        QVERIFY(!form.ok());
        QCOMPARE(form.error().code, ErrorCode::ValidationError);
        QCOMPARE(form.error().details.value(0).field, QStringLiteral("body"));
    }

    void limitsParts()
    {
        std::string b;
        for (int i = 0; i < 5; ++i)
            b += "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i)
                + "\"\r\n\r\nv\r\n";
        b += "------x7MA4YWxk--";
        QVERIFY(MultipartForm::parse(kType, b, 5).ok());
        QVERIFY(!MultipartForm::parse(kType, b, 4).ok());
    }
};

QTEST_APPLESS_MAIN(TestMultipart)
#include "tst_multipart.moc"
