// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
import QtQuick

// Colours, sizes and a shared clock. Light or dark follows the system palette unless overridden.
QtObject {
    id: theme

    /// "system", "light" or "dark"
    property string mode: "system"
    readonly property SystemPalette system: SystemPalette { colorGroup: SystemPalette.Active }
    readonly property bool dark: mode === "dark" || (mode === "system" && system.window.hslLightness < 0.5)

    readonly property color background: dark ? "#1b1e21" : "#f5f6f8"
    readonly property color surface: dark ? "#232629" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#2c3034" : "#eef0f3"
    readonly property color border: dark ? "#3b4045" : "#d5d9de"
    readonly property color text: dark ? "#e6e6e6" : "#1f2328"
    readonly property color textMuted: dark ? "#a0a6ad" : "#5c636a"
    readonly property color accent: dark ? "#4c9eea" : "#1f6fc5"
    readonly property color focus: dark ? "#7ab8ff" : "#0b5cad"
    readonly property color selection: dark ? "#22415f" : "#dcebfb"
    readonly property color danger: dark ? "#ff6b6b" : "#c62828"
    readonly property color warning: dark ? "#f0b44c" : "#b26a00"
    readonly property color success: dark ? "#5bc47e" : "#2e7d32"

    readonly property int spacing: 8
    readonly property int radius: 6
    readonly property int fontSize: 14
    readonly property int smallFontSize: 12
    readonly property int titleFontSize: 20

    /// Ticks every second so countdowns update together.
    property date now: new Date()
    readonly property Timer ticker: Timer {
        interval: 1000
        running: true
        repeat: true
        onTriggered: theme.now = new Date()
    }

    function riskColor(risk) {
        if (risk === "high" || risk === "critical")
            return danger
        if (risk === "medium")
            return warning
        return success
    }
}
