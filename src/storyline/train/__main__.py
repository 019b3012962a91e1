"""``python -m storyline.train SPLIT``: train the attribution scorer on a PolNeAR split."""

import sys

from storyline.train.attribution import main

sys.exit(main())
