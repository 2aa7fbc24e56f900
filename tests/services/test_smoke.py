"""The app builds, migrates and serves its home page on the test database."""


def test_home_page_answers(client, board):
    response = client.get("/")
    assert response.status_code == 200
    assert "Printers" in response.get_data(as_text=True)
