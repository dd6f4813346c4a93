from __future__ import annotations

import sys

from i18n_pipeline.launch import main

sys.exit(main())
