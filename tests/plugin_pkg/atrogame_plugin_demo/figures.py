"""The plug-in's figure, registered with atrogame's public ``figure`` decorator."""

from __future__ import annotations

import numpy as np

from atrogame.figures import figure


def violence_data():
    from atrogame_plugin_demo.model import MonitoredViolence

    sanction = np.linspace(0.1, 5.0, 50)
    ds = MonitoredViolence().sweep(sanction=sanction)
    return {"sanction": sanction, "violence": ds["violence"].values}


def violence_numbers():
    from atrogame_plugin_demo.model import MonitoredViolence

    m = MonitoredViolence()
    return {"violence at the defaults": float(m.solve().violence),
            "deterring sanction g/d": m.params.gain / m.params.detection}


@figure("mv-violence", model="monitored_violence",
        caption="Violence falls linearly with the sanction until the perpetrator is deterred "
                "(atrogame plug-in demonstration model).",
        data=violence_data, numbers=violence_numbers)
def violence():
    import matplotlib.figure

    d = violence_data()
    fig = matplotlib.figure.Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot(d["sanction"], d["violence"])
    ax.set_xlabel("sanction s")
    ax.set_ylabel("violence a*")
    return fig
