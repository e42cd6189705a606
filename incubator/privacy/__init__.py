"""Personal data under UU No. 27 Tahun 2022: consent to the privacy notice, the applicant's copy of
their data, deletion on request, and erasure of what is kept past its retention period."""
