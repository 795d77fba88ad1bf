"""The small invented story the chrome-rule and heading tests dress in different markup."""

from __future__ import annotations

URL = "https://riverside.example/2024/05/02/ferry-timetable/"
STORY = [
    "The river ferry will run every twenty minutes from June, the harbour board said on "
    "Thursday, after a year in which queues at the north landing grew longer each summer.",
    "Board members approved the change after residents of the eastern bank collected more "
    "than four hundred signatures asking for a service that matches the working day.",
    "Two refitted boats will join the fleet, and the last crossing moves from nine in the "
    "evening to eleven, which night-shift workers at the hospital had long asked for.",
    "Fares stay the same for now, though the board will review them in the autumn once it "
    "knows how many more passengers the extra crossings bring to the landing stages.",
]
