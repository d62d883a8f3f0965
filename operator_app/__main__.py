from operator_app.cli import main

raise SystemExit(main())
