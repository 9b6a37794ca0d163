// SPDX-License-Identifier: GPL-3.0-or-later
#include "highlightcache.h"

#include <QCryptographicHash>

namespace lm::highlight {

HighlightCache::HighlightCache(qsizetype maxBytes)
    : m_entries(maxBytes)
{ }

QString HighlightCache::keyOf(const QString &text, const QString &definition, const QString &theme)
{
    const QByteArray hash = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QString::fromLatin1(hash) + u'|' + definition.toLower() + u'|' + theme;
}

QString HighlightCache::find(const QString &key) const
{
    const QString *html = m_entries.object(key);
    return html ? *html : QString();
}

void HighlightCache::insert(const QString &key, const QString &html)
{
    // Cost in bytes; a document bigger than the whole cache is simply not kept.
    m_entries.insert(key, new QString(html), qMax<qsizetype>(1, html.size() * 2));
}

qsizetype HighlightCache::count() const
{
    return m_entries.count();
}

HighlightCache &HighlightCache::shared()
{
    static HighlightCache cache;
    return cache;
}

} // namespace lm::highlight
