// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lm::events {

/// One stored event, as the store layer commits it and the hub fans it out.
struct Event
{
    qint64 seq = 0; ///< increasing within a topic; the SSE `id:`
    QString tenantId;
    QString topic; ///< "tenant" (the tenant event stream) or "activity:<id>" (an activity's output)
    QString type; ///< the SSE `event:` name, e.g. activity_started, text_delta, completed
    QByteArray data; ///< compact JSON
    qint64 createdAtMs = 0;
};

/// An event as published: immutable, shared by every subscriber, with its SSE bytes formatted once.
struct PublishedEvent
{
    Event event;
    std::shared_ptr<const std::string> sse; ///< `id:`/`event:`/`data:` lines and the blank line
};
using PublishedEventPtr = std::shared_ptr<const PublishedEvent>;

/// A thread that runs posted work in order (an HTTP I/O thread). Subscribers on a lane have their
/// listeners called on it: a publish posts once per lane, and each lane calls its own subscribers,
/// so a fan-out to thousands of streams runs on the threads that write them, in parallel, without
/// handing every stream across threads. close() makes later posts no-ops (the thread is going).
class DeliveryLane
{
public:
    using Work = std::function<void()>;
    explicit DeliveryLane(std::function<void(Work)> post);
    DeliveryLane(const DeliveryLane &) = delete;
    DeliveryLane &operator=(const DeliveryLane &) = delete;

    void post(Work work);
    void close();

private:
    std::mutex m_mutex;
    std::function<void(Work)> m_post; ///< empty once closed
};

/// In-process fan-out of committed events to live subscribers (SSE streams). Publishing copies a
/// snapshot of the topic's subscribers under a short lock and calls them outside it, so a publish
/// to thousands of subscribers never holds the hub's lock while they work. Subscribers without a
/// lane are called on the publishing thread; those on a lane, on the lane (see DeliveryLane). Each
/// subscriber sees events in the order they were published. Listeners must be quick and must not
/// block (an SSE listener only queues bytes on its stream).
class EventHub
{
public:
    using Listener = std::function<void(const PublishedEventPtr &)>;

    /// A live subscription; unsubscribes on destruction. After destruction (or reset()) returns,
    /// the listener is not running and will not be called again, even with a publish in flight.
    class Subscription
    {
    public:
        Subscription() = default;
        ~Subscription() { reset(); }
        Subscription(Subscription &&other) noexcept;
        Subscription &operator=(Subscription &&other) noexcept;
        Subscription(const Subscription &) = delete;
        Subscription &operator=(const Subscription &) = delete;

        /// Unsubscribes now.
        void reset();
        [[nodiscard]] bool isActive() const { return m_entry != nullptr; }

    private:
        friend class EventHub;
        struct Entry;
        Subscription(EventHub *hub, QString key, std::shared_ptr<Entry> entry);
        EventHub *m_hub = nullptr;
        QString m_key;
        std::shared_ptr<Entry> m_entry; ///< knows its lane
    };

    EventHub();
    ~EventHub();
    EventHub(const EventHub &) = delete;
    EventHub &operator=(const EventHub &) = delete;

    /// The key of a tenant's topic ("<tenantId>/<topic>"): streams never cross tenants.
    [[nodiscard]] static QString topicKey(const QString &tenantId, const QString &topic);
    /// The key of every tenant's "tenant" topic at once (the DM event stream); its subscribers get
    /// each event with `tenantId` added to its data (withTenantId()).
    [[nodiscard]] static QString allTenantsKey() { return QStringLiteral("*/tenant"); }
    /// The event with `"tenantId"` as the first member of its JSON object data.
    [[nodiscard]] static Event withTenantId(const Event &event);
    /// Subscribes to a topic key; the hub must outlive the subscription. With a lane, the listener
    /// runs there; without, on the publishing thread.
    [[nodiscard]] Subscription subscribe(
        const QString &topicKey, Listener listener, std::shared_ptr<DeliveryLane> lane = {});
    /// Fans a committed event out to the subscribers of its topic (store layer, after commit).
    void publish(const Event &event);
    /// Formats an event for the wire once (publish does this; replays use it too).
    [[nodiscard]] static PublishedEventPtr prepare(const Event &event);
    /// Live subscribers of a topic key.
    [[nodiscard]] std::size_t subscriberCount(const QString &topicKey) const;

private:
    using EntryList = std::vector<std::shared_ptr<Subscription::Entry>>;
    /// A topic's subscribers, grouped by lane (the group without a lane first, when there is one).
    struct LaneGroup
    {
        std::shared_ptr<DeliveryLane> lane;
        std::shared_ptr<const EntryList> entries;
    };
    using Topic = std::vector<LaneGroup>;
    void unsubscribe(const QString &key, const std::shared_ptr<Subscription::Entry> &entry);
    void deliver(const QString &key, const Event &event);
    static void callListeners(const EntryList &entries, const PublishedEventPtr &published);

    mutable std::mutex m_mutex;
    // Copy-on-write: publish takes a reference to the current topic, subscribe and unsubscribe
    // replace it (and copy only the changed lane's list).
    QHash<QString, std::shared_ptr<const Topic>> m_topics;
};

} // namespace lm::events
