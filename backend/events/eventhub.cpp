// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventhub.h"

#include "api/sse/sseformat.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace lm::events {

struct EventHub::Subscription::Entry
{
    // Held while the listener runs and while unsubscribing: once reset() returns the listener is
    // neither running nor called again. Recursive: a listener may drop its own subscription.
    std::recursive_mutex mutex;
    bool active = true;
    Listener listener;
};

EventHub::Subscription::Subscription(EventHub *hub, QString key, std::shared_ptr<Entry> entry)
    : m_hub(hub)
    , m_key(std::move(key))
    , m_entry(std::move(entry))
{ }

EventHub::Subscription::Subscription(Subscription &&other) noexcept
    : m_hub(std::exchange(other.m_hub, nullptr))
    , m_key(std::move(other.m_key))
    , m_entry(std::move(other.m_entry))
{ }

EventHub::Subscription &EventHub::Subscription::operator=(Subscription &&other) noexcept
{
    if (this != &other) {
        reset();
        m_hub = std::exchange(other.m_hub, nullptr);
        m_key = std::move(other.m_key);
        m_entry = std::move(other.m_entry);
    }
    return *this;
}

void EventHub::Subscription::reset()
{
    if (!m_entry)
        return;
    {
        std::lock_guard lock(m_entry->mutex);
        // The listener itself stays until the entry goes: reset() may run inside it.
        m_entry->active = false;
    }
    if (m_hub)
        m_hub->unsubscribe(m_key, m_entry);
    m_entry.reset();
    m_hub = nullptr;
}

EventHub::EventHub() = default;
EventHub::~EventHub() = default;

QString EventHub::topicKey(const QString &tenantId, const QString &topic)
{
    return tenantId + QLatin1Char('/') + topic;
}

EventHub::Subscription EventHub::subscribe(const QString &topicKey, Listener listener)
{
    auto entry = std::make_shared<Subscription::Entry>();
    entry->listener = std::move(listener);
    {
        std::lock_guard lock(m_mutex);
        auto &list = m_topics[topicKey];
        auto next = std::make_shared<EntryList>();
        next->reserve((list ? list->size() : 0) + 1);
        if (list)
            *next = *list;
        next->push_back(entry);
        list = std::move(next);
    }
    return Subscription(this, topicKey, std::move(entry));
}

void EventHub::unsubscribe(const QString &key, const std::shared_ptr<Subscription::Entry> &entry)
{
    std::shared_ptr<const EntryList> old; // released outside the lock
    std::lock_guard lock(m_mutex);
    const auto it = m_topics.find(key);
    if (it == m_topics.end())
        return;
    old = it.value();
    if (old->size() <= 1) {
        m_topics.erase(it);
        return;
    }
    auto next = std::make_shared<EntryList>();
    next->reserve(old->size() - 1);
    std::copy_if(old->begin(), old->end(), std::back_inserter(*next),
        [&entry](const auto &candidate) { return candidate != entry; });
    it.value() = std::move(next);
}

PublishedEventPtr EventHub::prepare(const Event &event)
{
    auto published = std::make_shared<PublishedEvent>();
    published->event = event;
    published->sse = std::make_shared<const std::string>(api::sse::formatEvent(event.seq,
        event.type.toStdString(), std::string_view(event.data.constData(), std::size_t(event.data.size()))));
    return published;
}

Event EventHub::withTenantId(const Event &event)
{
    Event out = event;
    const QByteArray member = "\"tenantId\":"
        + QJsonDocument(QJsonArray {event.tenantId}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    const QByteArray rest = event.data.trimmed();
    if (rest.startsWith('{') && rest.size() > 2 && rest != "{}")
        out.data = '{' + member + ',' + rest.mid(1);
    else
        out.data = '{' + member + '}';
    return out;
}

void EventHub::publish(const Event &event)
{
    deliver(topicKey(event.tenantId, event.topic), event);
    if (event.topic == QLatin1String("tenant"))
        deliver(allTenantsKey(), withTenantId(event));
}

void EventHub::deliver(const QString &key, const Event &event)
{
    std::shared_ptr<const EntryList> subscribers;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_topics.find(key);
        if (it == m_topics.end())
            return;
        subscribers = it.value();
    }
    const PublishedEventPtr published = prepare(event);
    for (const auto &entry : *subscribers) {
        std::lock_guard lock(entry->mutex);
        if (entry->active && entry->listener)
            entry->listener(published);
    }
}

std::size_t EventHub::subscriberCount(const QString &topicKey) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_topics.find(topicKey);
    return it == m_topics.end() ? 0 : it.value()->size();
}

} // namespace lm::events
