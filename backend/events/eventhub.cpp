// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventhub.h"

#include "api/sse/sseformat.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace lm::events {

DeliveryLane::DeliveryLane(std::function<void(Work)> post)
    : m_post(std::move(post))
{ }

void DeliveryLane::post(Work work)
{
    // Under the lock: close() must not return while a post into the lane's thread is under way.
    std::lock_guard lock(m_mutex);
    if (m_post)
        m_post(std::move(work));
}

void DeliveryLane::close()
{
    std::lock_guard lock(m_mutex);
    m_post = nullptr;
}

struct EventHub::Subscription::Entry
{
    // Held while the listener runs and while unsubscribing: once reset() returns the listener is
    // neither running nor called again. Recursive: a listener may drop its own subscription.
    std::recursive_mutex mutex;
    bool active = true;
    Listener listener;
    std::shared_ptr<DeliveryLane> lane;
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

EventHub::Subscription EventHub::subscribe(
    const QString &topicKey, Listener listener, std::shared_ptr<DeliveryLane> lane)
{
    auto entry = std::make_shared<Subscription::Entry>();
    entry->listener = std::move(listener);
    entry->lane = std::move(lane);
    std::shared_ptr<const Topic> old; // released outside the lock
    {
        std::lock_guard lock(m_mutex);
        auto &current = m_topics[topicKey];
        old = current;
        auto next = std::make_shared<Topic>(old ? *old : Topic {});
        auto group = std::find_if(
            next->begin(), next->end(), [&entry](const LaneGroup &g) { return g.lane == entry->lane; });
        if (group == next->end()) {
            // The publishing thread's own group first: lanes are posted to before it runs.
            group = next->insert(entry->lane ? next->end() : next->begin(), LaneGroup {entry->lane, {}});
        }
        auto entries = std::make_shared<EntryList>();
        entries->reserve((group->entries ? group->entries->size() : 0) + 1);
        if (group->entries)
            *entries = *group->entries;
        entries->push_back(entry);
        group->entries = std::move(entries);
        current = std::move(next);
    }
    return Subscription(this, topicKey, std::move(entry));
}

void EventHub::unsubscribe(const QString &key, const std::shared_ptr<Subscription::Entry> &entry)
{
    std::shared_ptr<const Topic> old; // released outside the lock
    std::lock_guard lock(m_mutex);
    const auto it = m_topics.find(key);
    if (it == m_topics.end())
        return;
    old = it.value();
    auto next = std::make_shared<Topic>();
    next->reserve(old->size());
    for (const LaneGroup &group : *old) {
        if (group.lane != entry->lane) {
            next->push_back(group);
            continue;
        }
        auto entries = std::make_shared<EntryList>();
        entries->reserve(group.entries->size());
        std::copy_if(group.entries->begin(), group.entries->end(), std::back_inserter(*entries),
            [&entry](const auto &candidate) { return candidate != entry; });
        if (!entries->empty())
            next->push_back(LaneGroup {group.lane, std::move(entries)});
    }
    if (next->empty())
        m_topics.erase(it);
    else
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
    std::shared_ptr<const Topic> topic;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_topics.find(key);
        if (it == m_topics.end())
            return;
        topic = it.value();
    }
    const PublishedEventPtr published = prepare(event);
    // Lanes first, so that they work while this thread calls its own group.
    for (const LaneGroup &group : *topic) {
        if (group.lane)
            group.lane->post([entries = group.entries, published] { callListeners(*entries, published); });
    }
    if (!topic->empty() && !topic->front().lane)
        callListeners(*topic->front().entries, published);
}

void EventHub::callListeners(const EntryList &entries, const PublishedEventPtr &published)
{
    for (const auto &entry : entries) {
        std::lock_guard lock(entry->mutex);
        if (entry->active && entry->listener)
            entry->listener(published);
    }
}

std::size_t EventHub::subscriberCount(const QString &topicKey) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_topics.find(topicKey);
    if (it == m_topics.end())
        return 0;
    std::size_t count = 0;
    for (const LaneGroup &group : *it.value())
        count += group.entries->size();
    return count;
}

} // namespace lm::events
