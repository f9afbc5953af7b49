"""nbgrader configuration: the repository root is an nbgrader course.

solutions/<assignment>/ holds the instructor masters (nbgrader "source"), exercises/<assignment>/
the trainee versions generated from them (nbgrader "release"). Cohort work (submissions,
gradebook, feedback) never lives here: the `budapest-coop cohort` commands create a separate
course folder for it.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Generating exercises needs no gradebook (`--no-db`); if an instructor opens formgrader here,
# nbgrader's default gradebook.db at the root is created and ignored by git. Cohorts get
# their own folder and gradebook (`budapest-coop cohort new`).

c.ClearSolutions.code_stub = {
    "python": "# Complete your answer above, then delete this line.\nraise NotImplementedError()"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
