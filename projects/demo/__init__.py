"""Demo data built from the real figures of the seed documents, loaded by `manage.py seed_demo`.

- org.py: regions (real 6-digit codes) and units; users.py: one login per role.
- linyi_2016.py: 临沂市 ten big items with the Jan-Sep 2016 figures of bulletin 第16期 (seed 001).
- shandong_2019.py: 山东省 20 key items of 2019 (seed 000), targets and milestones, no progress.
- luyang_2017.py: 庐阳区 "29+8" projects of 2017 and the 安徽省/合肥市 projects they implement (seed 004).
- loader.py: writes them idempotently.
"""
